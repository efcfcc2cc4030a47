// The credential report and the audit from Node, with the AWS SDK v3's shapes.
// (Every case of tests/cases/audit and tests/cases/inputs runs in conformance.test.js.)
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const iamkit = require('..')

const DEMO = path.join(__dirname, '..', '..', 'examples', 'demo-account')
const REPORTS = path.join(__dirname, '..', '..', '..', 'shared', 'data', 'credential-reports')
const read = (name) => fs.readFileSync(path.join(DEMO, name))
const is = (code) => (e) => e instanceof iamkit.IamkitError && e.code === code

test('audit: SDK v3 shapes (Uint8Array Content, Date GeneratedTime, $metadata on every output)', () => {
  const meta = { $metadata: { httpStatusCode: 200, requestId: 'r', attempts: 1, totalRetryDelay: 0 } }
  const r = iamkit.audit({
    credentialReport: { Content: new Uint8Array(read('credential-report.csv')), GeneratedTime: new Date('2026-11-20T08:00:00Z'), ReportFormat: 'text/csv', ...meta },
    authorizationDetails: { ...JSON.parse(read('authorization-details.json')), ...meta },
    passwordPolicy: { ...JSON.parse(read('password-policy.json')), ...meta },
    accountSummary: { ...JSON.parse(read('account-summary.json')), ...meta },
    virtualMfaDevices: { ...JSON.parse(read('virtual-mfa-devices.json')), ...meta },
  })
  assert.equal(r.asOfSource, 'reportGeneratedTime')
  assert.equal(r.asOf, '2026-11-20T08:00:00Z')
  const bob = r.findings.find((f) => f.checkId === 'console-mfa' && f.resource.arn.endsWith(':user/bob'))
  assert.equal(bob.status, 'fail')
  assert.equal(r.summary.notEvaluated, 6)
  const files = iamkit.audit({
    credentialReport: read('credential-report.json'),
    authorizationDetails: read('authorization-details.json'),
    passwordPolicy: read('password-policy.json').toString(),
    accountSummary: read('account-summary.json'),
    virtualMfaDevices: read('virtual-mfa-devices.json'),
    options: { asOf: new Date('2026-11-20T08:00:00Z') },
  })
  assert.equal(files.asOfSource, 'option')
  assert.deepEqual(files.summary, r.summary)
})

test('audit: options, and the inputs are all optional', () => {
  const asOf = iamkit.audit({ passwordPolicy: { Error: { Code: 'NoSuchEntity' } }, options: { asOf: new Date('2026-01-01T00:00:00Z') } })
  assert.equal(asOf.asOfSource, 'option')
  assert.equal(asOf.asOf, '2026-01-01T00:00:00Z')
  assert.equal(asOf.findings.find((f) => f.checkId === 'password-min-length').status, 'fail')
  assert.equal(iamkit.audit().summary.fail, 0)
  assert.deepEqual(iamkit.audit({ credentialReport: undefined }).summary, iamkit.audit({}).summary)
  assert.equal(iamkit.call('audit', {}).asOfSource, 'now')
  assert.throws(() => iamkit.audit({ options: { asOf: 'yesterday' } }), is('IAM_AUDIT_INPUT'))
  assert.throws(() => iamkit.audit({ options: { asOf: new Date('nonsense') } }), (e) => is('IAM_INVALID_ARGUMENT')(e) && e.location.jsonPath === '$.options.asOf')
  assert.throws(() => iamkit.audit({ nope: {} }), is('IAM_INPUT_SCHEMA'))
})

test('parseCredentialReport: CSV text, bytes, the SDK output; typed rows; errors that name the line and column', () => {
  const csv = read('credential-report.csv')
  const r = iamkit.parseCredentialReport(csv)
  assert.equal(r.rows[0].isRoot, true)
  assert.equal(r.rows[0].passwordEnabled, 'not_supported')
  // the rows are a lazy view: toJSON() is the answer's array
  assert.deepEqual(iamkit.parseCredentialReport(csv.toString()).toJSON(), r.toJSON())
  const sdk = iamkit.parseCredentialReport({ Content: new Uint8Array(csv), GeneratedTime: new Date('2026-11-20T08:00:00Z'), ReportFormat: 'text/csv', $metadata: {} })
  assert.equal(sdk.generatedTime, '2026-11-20T08:00:00Z')
  assert.deepEqual(sdk.rows.toJSON(), r.rows.toJSON())
  assert.deepEqual(iamkit.parseCredentialReport(read('credential-report.json')).rows.toJSON(), r.rows.toJSON())
  assert.deepEqual(iamkit.call('credentialReport', { report: csv }).rows, r.rows.toJSON())
  const bad = csv.toString().replace('2021-03-15T10:22:41+00:00', '15 March 2021')
  assert.throws(() => iamkit.parseCredentialReport(bad), (e) => is('IAM_REPORT_FORMAT')(e) && /line 2/.test(e.message) && /user_creation_time/.test(e.message))
  assert.throws(() => iamkit.parseCredentialReport(Buffer.from([0x75, 0xff])), (e) => is('IAM_INVALID_ARGUMENT')(e) && e.location.jsonPath === '$.report')
  if (fs.existsSync(REPORTS)) {
    for (const f of fs.readdirSync(REPORTS).filter((n) => /\.(csv|json)$/.test(n))) {
      iamkit.parseCredentialReport(fs.readFileSync(path.join(REPORTS, f)))
    }
  } else if (process.env.CI === 'true') {
    assert.fail(`missing ${REPORTS}`)
  }
})
