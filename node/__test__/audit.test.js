// The credential report and the audit from Node: every case in tests/cases/audit, and the API.
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const iamkit = require('..')
const { corpus } = require('./cases')

const CASES = corpus('audit')
const DEMO = path.join(__dirname, '..', '..', 'examples', 'demo-account')
const REPORTS = path.join(__dirname, '..', '..', '..', 'shared', 'data', 'credential-reports')

function subset(expected, actual) {
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && expected.length === actual.length && expected.every((e, i) => subset(e, actual[i]))
  }
  if (expected !== null && typeof expected === 'object') {
    return actual !== null && typeof actual === 'object' && !Array.isArray(actual) &&
      Object.keys(expected).every((k) => k in actual && subset(expected[k], actual[k]))
  }
  return expected === actual
}

/** tests/README.md, audit cases. */
function met(expected, got) {
  if ('error' in expected) return 'error' in got && subset(expected.error, got.error)
  const answer = got.answer
  if (answer === undefined) return false
  const any = (e) => answer.findings.some((f) => subset(e, f))
  return (expected.contains ?? []).every(any) && !(expected.lacks ?? []).some(any) &&
    Object.entries(expected).filter(([k]) => k !== 'contains' && k !== 'lacks').every(([k, v]) => k in answer && subset(v, answer[k]))
}

test('the audit corpus is there', () => assert.ok(CASES.length > 50))

for (const c of CASES) {
  test(`audit: ${c.name}`, () => {
    let got
    try {
      got = { answer: JSON.parse(iamkit.auditJson(JSON.stringify(c.inputs))) }
    } catch (e) {
      assert.ok(typeof e.code === 'string' && e.code.startsWith('IAM_'), String(e))
      got = { error: { code: e.code, message: e.message } }
    }
    assert.ok(met(c.expected, got), JSON.stringify(got).slice(0, 3000))
  })
}

const read = (name) => fs.readFileSync(path.join(DEMO, name))

test('audit: SDK v3 shapes (Uint8Array Content, Date GeneratedTime, $metadata)', () => {
  const r = iamkit.audit({
    credentialReport: { Content: new Uint8Array(read('credential-report.csv')), GeneratedTime: new Date('2026-11-20T08:00:00Z'), ReportFormat: 'text/csv', $metadata: {} },
    authorizationDetails: JSON.parse(read('authorization-details.json')),
    passwordPolicy: { ...JSON.parse(read('password-policy.json')), $metadata: { httpStatusCode: 200 } },
    accountSummary: JSON.parse(read('account-summary.json')),
    virtualMfaDevices: JSON.parse(read('virtual-mfa-devices.json')),
  })
  assert.equal(r.asOfSource, 'reportGeneratedTime')
  assert.equal(r.asOf, '2026-11-20T08:00:00Z')
  const bob = r.findings.find((f) => f.checkId === 'console-mfa' && f.resource.arn.endsWith(':user/bob'))
  assert.equal(bob.status, 'fail')
  assert.equal(r.summary.notEvaluated, 6)
  const asOf = iamkit.audit({ passwordPolicy: { Error: { Code: 'NoSuchEntity' } }, options: { asOf: new Date('2026-01-01T00:00:00Z') } })
  assert.equal(asOf.asOfSource, 'option')
  assert.equal(asOf.findings.find((f) => f.checkId === 'password-min-length').status, 'fail')
  assert.throws(() => iamkit.audit({ options: { asOf: 'yesterday' } }), { code: 'IAM_AUDIT_INPUT' })
})

test('parseCredentialReport: typed rows, special values, errors that name the line and column', () => {
  const r = iamkit.parseCredentialReport(read('credential-report.csv'))
  assert.equal(r.rows[0].isRoot, true)
  assert.equal(r.rows[0].passwordEnabled, 'not_supported')
  const bad = read('credential-report.csv').toString().replace('2021-03-15T10:22:41+00:00', '15 March 2021')
  assert.throws(() => iamkit.parseCredentialReport(bad), (e) => e.code === 'IAM_REPORT_FORMAT' && /line 2/.test(e.message) && /user_creation_time/.test(e.message))
  if (fs.existsSync(REPORTS)) {
    for (const f of fs.readdirSync(REPORTS).filter((n) => /\.(csv|json)$/.test(n))) {
      iamkit.parseCredentialReport(fs.readFileSync(path.join(REPORTS, f)))
    }
  }
})
