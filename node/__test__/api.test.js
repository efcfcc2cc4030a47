// The Node API: evaluation objects and the lazy explanation, PolicySet, batches, the generic call,
// errors with stable codes and locations, the panic guard, and index.d.ts against index.js.
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const iamkit = require('..')
const { IamkitError } = iamkit

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
const isIamkit = (code) => (e) => e instanceof IamkitError && e instanceof Error && e.code === code

test('one version everywhere', () => {
  const cargo = fs.readFileSync(path.join(__dirname, '..', '..', 'Cargo.toml'), 'utf8')
  const version = /\[workspace\.package\][^[]*?version = "([^"]+)"/.exec(cargo)[1]
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'))
  assert.equal(iamkit.version(), version)
  assert.equal(pkg.version, version)
})

test('evaluate: an Evaluation with the decision and the explanation', () => {
  const r = iamkit.evaluate(req(), POLICIES)
  assert.ok(r instanceof iamkit.Evaluation)
  assert.equal(r.decision, 'allowed')
  assert.equal(r.allowed, true)
  assert.equal(r.explain.grantedBy, 'identity')
  assert.deepEqual(r.explain.statements, [
    { step: 'identity', policy: 'identity[0]', statement: 0, sid: 'Read', effect: 'Allow', indeterminate: false },
  ])
  const d = iamkit.evaluate(req({ resource: 'arn:aws:s3:::b/secret/x' }), POLICIES)
  assert.equal(d.decision, 'explicitDeny')
  assert.equal(d.allowed, false)
  assert.equal(d.explain.deniedBy, 'identity')
  assert.equal(d.explain.statements[0].sid, 'NoSecrets')
  assert.equal(iamkit.evaluate(req({ action: 's3:PutObject' }), POLICIES).decision, 'implicitDeny')
  assert.equal(iamkit.evaluate(req()).decision, 'implicitDeny', 'no policies')
})

test('policies and documents as JSON text (the AWS SDK v3 returns documents as text)', () => {
  assert.equal(iamkit.evaluate(req(), { identity: [JSON.stringify(POLICIES.identity[0])] }).allowed, true)
  assert.equal(new iamkit.PolicySet(JSON.stringify(POLICIES)).evaluate(JSON.stringify(req())).allowed, true)
  assert.equal(new iamkit.PolicySet(Buffer.from(JSON.stringify(POLICIES))).decide(req()), 'allowed')
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
          DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' },
        },
      }],
    }],
  }
  const context = { 'aws:SecureTransport': true, 's3:max-keys': 5, 'aws:TagKeys': ['team'], 'aws:CurrentTime': new Date('2026-06-01T00:00:00Z') }
  assert.equal(iamkit.evaluate(req({ context }), policies).allowed, true)
  assert.equal(iamkit.evaluate(req({ context: { ...context, 's3:max-keys': 50.5 } }), policies).allowed, false)
  assert.equal(iamkit.evaluate(req({ context: { ...context, 'aws:CurrentTime': new Date('2025-06-01T00:00:00Z') } }), policies).allowed, false)
})

test('PolicySet: evaluate, decide, batch and the generic call', () => {
  const ps = new iamkit.PolicySet(POLICIES)
  assert.equal(ps.evaluate(req()).allowed, true)
  assert.equal(ps.decide(req({ action: 's3:PutObject' })), 'implicitDeny')
  const batch = ps.evaluateBatch([req(), req({ resource: 'arn:aws:s3:::b/secret/x' }), req({ action: 's3:PutObject' })])
  assert.ok(batch.every((r) => r instanceof iamkit.Evaluation))
  assert.deepEqual(batch.map((r) => r.decision), ['allowed', 'explicitDeny', 'implicitDeny'])
  assert.equal(batch[1].explain.deniedBy, 'identity')
  assert.deepEqual(ps.call('decide', req()), { decision: 'allowed' })
  assert.deepEqual(ps.call('decide', JSON.stringify(req())), { decision: 'allowed' })
  assert.equal(ps.call('evaluate', req()).explain.grantedBy, 'identity')
  const answers = ps.call('evaluateBatch', { requests: [req(), req({ principal: 'alice' })] })
  assert.equal(answers[0].decision, 'allowed')
  assert.equal(answers[1].error.code, 'IAM_REQUEST_PRINCIPAL')
  assert.throws(() => ps.call('whoCan', {}), isIamkit('IAM_INVALID_ARGUMENT'))
})

test('evaluateBatch: one answer per request, a bad request is an IamkitError value located at its index', () => {
  const ps = new iamkit.PolicySet(POLICIES)
  const out = ps.evaluateBatch([
    req(),
    req({ action: 's3:*' }),
    req({ context: { n: 10n } }),
    req({ extra: 1 }),
    req({ resource: 'arn:aws:s3:::b/secret/x' }),
    null,
  ])
  assert.equal(out.length, 6)
  assert.equal(out[0].decision, 'allowed')
  assert.ok(isIamkit('IAM_REQUEST_ACTION')(out[1]))
  assert.equal(out[1].location.jsonPath, '$.requests[1]')
  assert.ok(isIamkit('IAM_INVALID_ARGUMENT')(out[2]))
  assert.equal(out[2].location.jsonPath, "$.requests[2].context.n")
  assert.ok(isIamkit('IAM_INPUT_SCHEMA')(out[3]))
  assert.equal(out[3].location.jsonPath, '$.requests[3]', 'renumbered past the request refused before the call')
  assert.equal(out[4].decision, 'explicitDeny')
  assert.ok(isIamkit('IAM_INPUT_SCHEMA')(out[5]))
  assert.deepEqual(ps.evaluateBatch([]), [])
  assert.throws(() => ps.evaluateBatch('x'), isIamkit('IAM_INVALID_ARGUMENT'))
})

test('the explanation is computed on first read, and matches the one-shot answer', () => {
  const ps = new iamkit.PolicySet(POLICIES)
  const r = ps.evaluate(req({ resource: 'arn:aws:s3:::b/secret/x' }))
  const once = iamkit.evaluate(req({ resource: 'arn:aws:s3:::b/secret/x' }), POLICIES)
  assert.equal(r.decision, 'explicitDeny')
  assert.deepEqual(r.explain, once.explain)
  assert.strictEqual(r.explain, r.explain)
  assert.deepEqual(JSON.parse(JSON.stringify(r)), { decision: 'explicitDeny', explain: once.explain })
  assert.deepEqual(r.explain, ps.call('evaluate', req({ resource: 'arn:aws:s3:::b/secret/x' })).explain)
  assert.ok(r.explain.statements.every((s) => s.indeterminate === false), 'the core writes indeterminate')
})

test('call: every call without a handle, by name; objects or JSON text in, values out', () => {
  assert.equal(iamkit.call('evaluate', { request: req(), policies: POLICIES }).decision, 'allowed')
  assert.equal(iamkit.call('evaluate', JSON.stringify({ request: req(), policies: POLICIES })).decision, 'allowed')
  assert.equal(iamkit.call('validate', { policy: POLICIES.identity[0] }).valid, true)
  assert.equal(iamkit.call('lookupAction', { action: 's3:nope' }), null)
  assert.throws(() => iamkit.call('nope', {}), (e) => isIamkit('IAM_INVALID_ARGUMENT')(e) && e.message.includes('unknown call'))
  assert.throws(() => iamkit.call('validate', '{'), isIamkit('IAM_INPUT_JSON'))
  assert.throws(() => iamkit.call('validate', { policy: {}, extra: 1 }), isIamkit('IAM_INPUT_SCHEMA'))
})

test('errors: IamkitError with the stable code, the location, and the location in the message', () => {
  const bad = {
    identity: [{ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { NumericEquals: { k: 'x' } } } }],
  }
  assert.throws(() => new iamkit.PolicySet(bad), (e) => isIamkit('IAM_POLICY_CONDITION_VALUE')(e) &&
    e.location.jsonPath === '$.identity[0].Statement.Condition.NumericEquals.k' &&
    e.message.includes('$.identity[0].Statement.Condition.NumericEquals.k') && e.name === 'IamkitError')
  assert.throws(() => new iamkit.PolicySet({ identity: ['{not json'] }), isIamkit('IAM_POLICY_JSON'))
  assert.throws(() => iamkit.evaluate({ principal: 'alice', action: 's3:GetObject', resource: '*' }, POLICIES), isIamkit('IAM_REQUEST_PRINCIPAL'))
  assert.throws(() => iamkit.evaluate(req({ context: { k: { nested: 1 } } }), POLICIES), (e) => isIamkit('IAM_REQUEST_CONTEXT')(e) &&
    e.location.jsonPath === "$.request.context['k']")
  assert.throws(() => new iamkit.PolicySet(POLICIES).evaluate(req({ extra: 1 })), isIamkit('IAM_INPUT_SCHEMA'))
  assert.throws(() => iamkit.validatePolicy('{}', 'bogus'), isIamkit('IAM_INPUT_SCHEMA'))
  const e = new IamkitError('IAM_IO', 'no such file', { jsonPath: '$.x', line: 2, column: 3 })
  assert.equal(e.message, 'no such file at $.x (line 2, column 3)')
  assert.deepEqual(e.toJSON(), { code: 'IAM_IO', message: e.message, location: { jsonPath: '$.x', line: 2, column: 3 } })
  assert.equal(new IamkitError('IAM_IO', 'x').location, null)
})

test('validatePolicy returns diagnostics as values', () => {
  const v = iamkit.validatePolicy({ Statement: { Effect: 'allow', Action: 's3:*', Resource: '*' } })
  assert.equal(v.valid, false)
  const effect = v.diagnostics.find((d) => d.code === 'IAM_POLICY_EFFECT')
  assert.equal(effect.severity, 'error')
  assert.equal(effect.location.jsonPath, '$.Statement.Effect')
  assert.equal(iamkit.validatePolicy(POLICIES.identity[0], 'identity').valid, true)
  const text = '{"Statement": {"Effect": "allow", "Action": "s3:*", "Resource": "*"}}'
  assert.deepEqual(iamkit.validatePolicy(text).diagnostics.find((d) => d.code === 'IAM_POLICY_EFFECT').location,
    { jsonPath: '$.Statement.Effect', line: 1, column: 26 })
})

test('a Rust panic becomes an IamkitError with code IAM_INTERNAL', { skip: typeof iamkit._testPanic !== 'function' && !process.env.IAMKIT_REQUIRE_TEST_PANIC }, () => {
  assert.equal(typeof iamkit._testPanic, 'function', 'built without the test-panic feature (npm run build:test)')
  assert.throws(() => iamkit._testPanic(), (e) => isIamkit('IAM_INTERNAL')(e) && e.message.includes('_testPanic was called'))
})

test('index.d.ts declares exactly what index.js exports', () => {
  const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8')
  const declared = new Set([...dts.matchAll(/^export declare (?:function|class|const) (\w+)/gm)].map((m) => m[1]))
  const exported = new Set(Object.keys(iamkit).filter((k) => k !== '_testPanic'))
  assert.deepEqual([...exported].sort(), [...declared].sort())
})
