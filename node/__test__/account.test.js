// The account model from Node: every case in tests/cases/account, and the API.
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const iamkit = require('..')
const { corpus } = require('./cases')

const SAMPLES = path.join(__dirname, '..', '..', '..', 'shared', 'data', 'authorization-details')
const CASES = corpus('account')

/** Whether `expected` is a part of `actual` (tests/README.md, account cases). */
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

test('the account corpus is there', () => assert.ok(CASES.length > 50))

for (const c of CASES) {
  test(`account: ${c.name}`, (t) => {
    let details = c.account
    if (c.sample) {
      const file = path.join(SAMPLES, c.sample)
      if (!fs.existsSync(file)) {
        if (process.env.CI === 'true') assert.fail(`missing sample ${file}`)
        t.skip(`missing sample ${file}`)
        return
      }
      details = fs.readFileSync(file, 'utf8')
    }
    let got
    try {
      got = { answer: iamkit.Account.fromJson(details, c.options).query(c.query) }
    } catch (e) {
      assert.ok(typeof e.code === 'string' && e.code.startsWith('IAM_'), String(e))
      got = { error: { code: e.code, message: e.message } }
    }
    assert.ok(subset(c.expected, got), JSON.stringify(got).slice(0, 2000))
  })
}

const TINY = {
  UserDetailList: [{
    UserName: 'alice', UserId: 'AIDAEXAMPLE', Arn: 'arn:aws:iam::111122223333:user/alice', CreateDate: new Date('2026-01-02T03:04:05Z'),
    UserPolicyList: [{ PolicyName: 'read', PolicyDocument: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:username}/*' } })) }],
  }],
  RoleDetailList: [{
    RoleName: 'ops', Arn: 'arn:aws:iam::111122223333:role/ops',
    AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } } },
  }],
}

test('Account: SDK-shaped input (Date objects, URL-encoded documents), queries, errors', () => {
  const acct = iamkit.Account.fromJson(TINY)
  const ev = acct.evaluate('alice', 's3:GetObject', 'arn:aws:s3:::b/alice/k')
  assert.equal(ev.decision, 'allowed')
  assert.equal(ev.explain.statements[0].policy, 'arn:aws:iam::111122223333:user/alice inline policy read')
  assert.equal(acct.evaluate('alice', 's3:GetObject', 'arn:aws:s3:::b/bob/k').decision, 'implicitDeny')
  assert.equal(acct.evaluate('alice', 's3:GetObject', 'arn:aws:s3:::b/bob/k', { context: { 'aws:username': 'bob' } }).decision, 'allowed')
  assert.deepEqual(acct.whoCan('s3:GetObject', 'arn:aws:s3:::b/alice/k').allowed.map((e) => e.name), ['alice'])
  const t = acct.whoCanAssume('role/ops').trusted[0]
  assert.deepEqual([t.kind, t.account, t.inAccount, t.mfa, t.externalId], ['account', '444455556666', false, true, false])
  assert.equal(acct.summary().accountId, '111122223333')
  assert.equal(acct.isAdministrator('alice'), false)
  assert.ok(acct.effectivePermissions('alice').services.some((s) => s.service === 's3'))
  assert.throws(() => acct.evaluate('bob', 's3:GetObject', '*'), { code: 'IAM_ACCOUNT_PRINCIPAL' })
  assert.throws(() => iamkit.Account.fromJson({ UserDetailList: [{ Arn: 'arn:aws:iam::111122223333:user/x' }] }), (e) => e.code === 'IAM_ACCOUNT_DATA' && e.message.includes('UserName'))
  assert.throws(() => iamkit.Account.fromJson(null), { code: 'IAM_INVALID_ARGUMENT' })
  assert.throws(() => new iamkit.Account({}), { code: 'IAM_INVALID_ARGUMENT' })
})

test('credentials: an instance-metadata document, expired or not, without secrets', () => {
  const doc = { Code: 'Success', Type: 'AWS-HMAC', AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 's3cr3t', Token: 'tok', Expiration: '2026-11-23T14:00:00Z' }
  const r = iamkit.credentials(doc, '2026-11-23T15:00:00Z')
  assert.equal(r.expired, true)
  assert.equal(r.keyKind, 'temporary')
  assert.ok(!JSON.stringify(r).includes('s3cr3t'))
  assert.equal(iamkit.credentials(doc, '2026-11-23T13:00:00Z').expired, false)
})
