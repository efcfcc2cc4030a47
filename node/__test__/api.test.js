// The Node API: typed results, PolicySet, batches, errors with stable codes, the panic guard.
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const iamkit = require('..')

const ALICE = 'arn:aws:iam::111122223333:user/alice'
const POLICIES = {
  identity: [
    {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
        { Sid: 'NoSecrets', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::b/secret/*' },
      ],
    },
  ],
}
const req = (extra = {}) => ({ principal: ALICE, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', ...extra })

test('one version everywhere', () => {
  const cargo = fs.readFileSync(path.join(__dirname, '..', '..', 'Cargo.toml'), 'utf8')
  const version = /\[workspace\.package\][^[]*?version = "([^"]+)"/.exec(cargo)[1]
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'))
  assert.equal(iamkit.version(), version)
  assert.equal(pkg.version, version)
})

test('evaluate with objects, and the explanation', () => {
  const r = iamkit.evaluate(req(), POLICIES)
  assert.equal(r.decision, 'allowed')
  assert.equal(r.allowed, true)
  assert.equal(r.explain.grantedBy, 'identity')
  assert.deepEqual(r.explain.statements, [
    { step: 'identity', policy: 'identity[0]', statement: 0, sid: 'Read', effect: 'Allow', indeterminate: false },
  ])
  const d = iamkit.evaluate(req({ resource: 'arn:aws:s3:::b/secret/x' }), POLICIES)
  assert.equal(d.decision, 'explicitDeny')
  assert.equal(d.explain.deniedBy, 'identity')
  assert.equal(d.explain.statements[0].sid, 'NoSecrets')
  const i = iamkit.evaluate(req({ action: 's3:PutObject' }), POLICIES)
  assert.equal(i.decision, 'implicitDeny')
})

test('policy documents as JSON strings (AWS SDK v3 returns URL-decoded JSON text)', () => {
  assert.equal(iamkit.evaluate(req(), { identity: [JSON.stringify(POLICIES.identity[0])] }).allowed, true)
  assert.equal(iamkit.evaluate(req(), JSON.stringify(POLICIES)).allowed, true)
})

test('context values of every type', () => {
  const policies = {
    identity: [{
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow', Action: 's3:GetObject', Resource: '*',
        Condition: {
          Bool: { 'aws:SecureTransport': 'true' },
          NumericLessThan: { 's3:max-keys': '10' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] },
        },
      }],
    }],
  }
  const context = { 'aws:SecureTransport': true, 's3:max-keys': 5, 'aws:TagKeys': ['team'] }
  assert.equal(iamkit.evaluate(req({ context }), policies).allowed, true)
  assert.equal(iamkit.evaluate(req({ context: { ...context, 's3:max-keys': 50.5 } }), policies).allowed, false)
})

test('PolicySet: reuse, decide, batch, JSON', () => {
  const ps = new iamkit.PolicySet(POLICIES)
  assert.equal(ps.evaluate(req()).allowed, true)
  assert.equal(ps.decide(req({ action: 's3:PutObject' })), 'implicitDeny')
  const batch = ps.evaluateBatch([req(), req({ resource: 'arn:aws:s3:::b/secret/x' }), req({ action: 's3:PutObject' })])
  assert.deepEqual(batch.map((r) => r.decision), ['allowed', 'explicitDeny', 'implicitDeny'])
  assert.equal(JSON.parse(ps.evaluateJson(JSON.stringify(req()))).decision, 'allowed')
})

test('errors are Errors with stable codes and located messages', () => {
  const bad = {
    identity: [{ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { NumericEquals: { k: 'x' } } } }],
  }
  assert.throws(() => new iamkit.PolicySet(bad), (e) => e instanceof Error && e.code === 'IAM_POLICY_CONDITION_VALUE' &&
    e.message.includes('$.identity[0].Statement.Condition.NumericEquals.k'))
  assert.throws(() => new iamkit.PolicySet({ identity: ['{not json'] }), { code: 'IAM_POLICY_JSON' })
  assert.throws(() => iamkit.evaluate({ principal: 'alice', action: 's3:GetObject', resource: '*' }, POLICIES), { code: 'IAM_REQUEST_PRINCIPAL' })
  assert.throws(() => iamkit.evaluate(req({ context: { k: { nested: 1 } } }), POLICIES), { code: 'IAM_REQUEST_CONTEXT' })
  assert.throws(() => iamkit.evaluateJson('{'), { code: 'IAM_INPUT_JSON' })
  assert.throws(() => iamkit.validatePolicy('{}', 'bogus'), { code: 'IAM_INVALID_ARGUMENT' })
})

test('validatePolicy returns diagnostics as values', () => {
  const v = iamkit.validatePolicy({ Statement: { Effect: 'allow', Action: 's3:*', Resource: '*' } })
  assert.equal(v.valid, false)
  const effect = v.diagnostics.find((d) => d.code === 'IAM_POLICY_EFFECT')
  assert.equal(effect.severity, 'error')
  assert.deepEqual(effect.location, { jsonPath: '$.Statement.Effect', line: 1, column: 24 })
  assert.equal(iamkit.validatePolicy(POLICIES.identity[0], 'identity').valid, true)
})

test('a Rust panic becomes an Error with code IAM_INTERNAL', { skip: typeof iamkit._testPanic !== 'function' && !process.env.IAMKIT_REQUIRE_TEST_PANIC }, () => {
  assert.equal(typeof iamkit._testPanic, 'function', 'built without the test-panic feature')
  assert.throws(() => iamkit._testPanic(), (e) => e instanceof Error && e.code === 'IAM_INTERNAL')
})

test('index.d.ts declares exactly what index.js exports', () => {
  const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8')
  const declared = new Set([...dts.matchAll(/^export declare (?:function|class|const) (\w+)/gm)].map((m) => m[1]))
  const exported = new Set(Object.keys(iamkit).filter((k) => k !== '_testPanic'))
  assert.deepEqual([...exported].sort(), [...declared].sort())
})

test('the explanation is computed on first read, and matches the one-shot answer', () => {
  const ps = new iamkit.PolicySet(POLICIES)
  const r = ps.evaluate(req({ resource: 'arn:aws:s3:::b/secret/x' }))
  const once = iamkit.evaluate(req({ resource: 'arn:aws:s3:::b/secret/x' }), POLICIES)
  assert.deepEqual(r.explain, once.explain)
  assert.strictEqual(r.explain, r.explain)
  assert.deepEqual(JSON.parse(JSON.stringify(r)), { decision: 'explicitDeny', explain: once.explain })
  assert.ok(r instanceof iamkit.Evaluation)
})

test('bad arguments are IAM_INVALID_ARGUMENT; a bad request in a batch names its index', () => {
  const ps = new iamkit.PolicySet(POLICIES)
  for (const bad of [null, undefined, 42, 'text', []]) {
    assert.throws(() => ps.evaluate(bad), { code: 'IAM_INVALID_ARGUMENT' })
  }
  assert.throws(() => ps.evaluate(req({ context: { n: 10n } })), { code: 'IAM_INVALID_ARGUMENT' })
  assert.throws(() => ps.evaluateBatch('x'), { code: 'IAM_INVALID_ARGUMENT' })
  assert.throws(() => ps.evaluateBatch([req(), req({ action: 's3:*' })]), (e) => e.code === 'IAM_REQUEST_ACTION' && e.message.startsWith('request 1:'))
  assert.throws(() => ps.evaluate(req({ extra: 1 })), { code: 'IAM_INPUT_SCHEMA' })
  assert.throws(() => iamkit.validatePolicy(null), { code: 'IAM_INVALID_ARGUMENT' })
})
