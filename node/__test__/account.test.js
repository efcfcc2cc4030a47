// The account model from Node: SDK-shaped input, the typed wrappers, the generic call, errors.
// (Every case of tests/cases/account runs in conformance.test.js.)
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const iamkit = require('..')

const DEMO = path.join(__dirname, '..', '..', 'examples', 'demo-account')

const TINY = {
  UserDetailList: [{
    UserName: 'alice', UserId: 'AIDAEXAMPLE', Arn: 'arn:aws:iam::111122223333:user/alice', CreateDate: new Date('2026-01-02T03:04:05Z'),
    UserPolicyList: [{ PolicyName: 'read', PolicyDocument: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:username}/*' } })) }],
  }],
  RoleDetailList: [{
    RoleName: 'ops', Arn: 'arn:aws:iam::111122223333:role/ops',
    AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } } },
  }],
  IsTruncated: false,
  $metadata: { httpStatusCode: 200, requestId: 'x', attempts: 1, totalRetryDelay: 0 },
}

test('Account: SDK v3 output (Date objects, URL-encoded documents, $metadata), the typed wrappers', () => {
  const acct = iamkit.Account.fromJson(TINY)
  const ev = acct.evaluate('alice', 's3:GetObject', 'arn:aws:s3:::b/alice/k')
  assert.equal(ev.decision, 'allowed')
  assert.equal(ev.explain.statements[0].policy, 'arn:aws:iam::111122223333:user/alice inline policy read')
  assert.equal(acct.evaluate('alice', 's3:GetObject', 'arn:aws:s3:::b/bob/k').decision, 'implicitDeny')
  assert.equal(acct.evaluate('alice', 's3:GetObject', 'arn:aws:s3:::b/bob/k', { context: { 'aws:username': 'bob' } }).decision, 'allowed')
  assert.equal(acct.evaluate('alice', 's3:GetObject', 'arn:aws:s3:::b/bob/k', { context: undefined, policies: undefined }).decision, 'implicitDeny',
    'an option set to undefined is as if not given')
  assert.deepEqual(acct.whoCan('s3:GetObject', 'arn:aws:s3:::b/alice/k').allowed.map((e) => e.name), ['alice'])
  const t = acct.whoCanAssume('role/ops').trusted[0]
  assert.deepEqual([t.kind, t.account, t.inAccount, t.mfa, t.externalId], ['account', '444455556666', false, true, false])
  assert.equal(acct.summary().accountId, '111122223333')
  assert.deepEqual(acct.principals().map((p) => p.name).sort(), ['alice', 'ops'])
  assert.deepEqual(acct.principal('alice'), acct.principals().find((p) => p.name === 'alice'))
  assert.equal(acct.isAdministrator('alice'), false)
  assert.ok(acct.effectivePermissions('alice').services.some((s) => s.service === 's3'))
})

test('Account: details as an array of pages, JSON text, bytes; the generic call answers as the wrappers do', () => {
  const text = fs.readFileSync(path.join(DEMO, 'authorization-details.json'))
  const pages = [JSON.parse(text)]
  const fromBytes = iamkit.Account.fromJson(text)
  for (const acct of [fromBytes, iamkit.Account.fromJson(text.toString()), iamkit.Account.fromJson(pages), iamkit.Account.fromJson(new Uint8Array(text))]) {
    assert.deepEqual(acct.summary(), fromBytes.summary())
  }
  assert.deepEqual(fromBytes.call('summary', {}), fromBytes.summary())
  assert.deepEqual(fromBytes.call('permissions', '{"principal": "user/alice"}'), fromBytes.effectivePermissions('user/alice'))
  assert.deepEqual(fromBytes.call('isAdministrator', { principal: 'user/alice' }), { administrator: fromBytes.isAdministrator('user/alice') })
})

test('Account: a credential report as CSV text, bytes, or the SDK output', () => {
  const csv = fs.readFileSync(path.join(DEMO, 'credential-report.csv'))
  const details = fs.readFileSync(path.join(DEMO, 'authorization-details.json'))
  const sdk = { Content: new Uint8Array(csv), GeneratedTime: new Date('2026-11-20T08:00:00Z'), ReportFormat: 'text/csv', $metadata: { httpStatusCode: 200 } }
  const rows = (report) => iamkit.Account.fromJson(details, { credentialReport: report }).principals().filter((p) => p.credentials).map((p) => p.credentials)
  const expected = rows(csv.toString())
  assert.ok(expected.length > 0)
  assert.deepEqual(rows(csv), expected)
  assert.deepEqual(rows(sdk), expected)
  assert.deepEqual(rows(fs.readFileSync(path.join(DEMO, 'credential-report.json'), 'utf8')), expected)
})

test('Account: errors', () => {
  const acct = iamkit.Account.fromJson(TINY)
  const is = (code) => (e) => e instanceof iamkit.IamkitError && e.code === code
  assert.throws(() => acct.evaluate('bob', 's3:GetObject', '*'), is('IAM_ACCOUNT_PRINCIPAL'))
  assert.throws(() => iamkit.Account.fromJson({ UserDetailList: [{ Arn: 'arn:aws:iam::111122223333:user/x' }] }), (e) => is('IAM_ACCOUNT_DATA')(e) && e.message.includes('UserName'))
  assert.throws(() => iamkit.Account.fromJson(TINY, { bogus: 1 }), is('IAM_INPUT_SCHEMA'))
  assert.throws(() => iamkit.Account.fromJson(TINY, { credentialReport: 'not,a\nreport' }), is('IAM_REPORT_FORMAT'))
  assert.throws(() => iamkit.Account.fromJson(), is('IAM_INVALID_ARGUMENT'))
  assert.throws(() => iamkit.Account.fromJson(TINY, 'x'), is('IAM_INVALID_ARGUMENT'))
  assert.throws(() => new iamkit.Account({}), is('IAM_INVALID_ARGUMENT'))
  assert.throws(() => acct.call('decide', {}), is('IAM_INVALID_ARGUMENT'))
  assert.throws(() => acct.whoCan('s3:GetObject', '*', { nope: 1 }), is('IAM_INPUT_SCHEMA'))
})

test('credentials: an instance-metadata document, expired or not, without secrets', () => {
  const doc = { Code: 'Success', Type: 'AWS-HMAC', AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 's3cr3t', Token: 'tok', Expiration: '2026-11-23T14:00:00Z' }
  const r = iamkit.credentials(doc, '2026-11-23T15:00:00Z')
  assert.equal(r.expired, true)
  assert.equal(r.keyKind, 'temporary')
  assert.ok(!JSON.stringify(r).includes('s3cr3t'))
  assert.equal(iamkit.credentials(doc, new Date('2026-11-23T13:00:00Z')).expired, false)
  assert.equal(iamkit.credentials(JSON.stringify(doc), '2026-11-23T13:00:00Z').expired, false)
  assert.equal(typeof iamkit.credentials(doc).expired, 'boolean')
})
