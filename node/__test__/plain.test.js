// PolicySet.decide and PolicySet.evaluate hand a plain request to the addon as fields (index.js
// requestFields, node/src/fields.rs) instead of JSON text. The answers and errors must be the ones
// the JSON path gives: every request of the conformance evaluate cases, and requests of every shape
// the fast path declines, are answered both ways and compared.
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const iamkit = require('..')

function outcome(fn) {
  try {
    const ev = fn()
    return typeof ev === 'string' ? ['answer', ev] : ['answer', JSON.parse(JSON.stringify(ev))]
  } catch (e) {
    if (!(e instanceof iamkit.IamkitError)) throw e
    return ['error', e.code, e.message, JSON.stringify(e.location ?? null)]
  }
}

function bothWays(ps, req) {
  const text = JSON.stringify(req)
  return [
    [outcome(() => ps.decide(req)), outcome(() => ps.evaluate(req))],
    [outcome(() => ps.decide(text)), outcome(() => ps.evaluate(text))],
  ]
}

test('every conformance request answers the same both ways', () => {
  const dir = path.join(__dirname, '..', '..', 'tests', 'cases', 'eval')
  let n = 0
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (!line.trim()) continue
      const c = JSON.parse(line)
      const input = c.input
      if (c.call !== 'evaluate' || input === null || typeof input !== 'object' || input.request === null || typeof input.request !== 'object' || Array.isArray(input.request)) continue
      let ps
      try {
        ps = new iamkit.PolicySet(input.policies ?? {})
      } catch {
        continue
      }
      const [fast, slow] = bothWays(ps, input.request)
      assert.deepEqual(fast, slow, c.name)
      n++
    }
  }
  assert.ok(n > 300, `only ${n} conformance requests compared`)
})

const POLICIES = {
  identity: [{
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { NumericLessThan: { 's3:max-keys': '10' }, Bool: { 'aws:SecureTransport': 'true' } } },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a', '7'] } } },
      { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/blocked': 'yes' } } },
    ],
  }],
}
const BASE = { principal: 'arn:aws:iam::111122223333:user/alice', action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }

test('every shape answers the same both ways', () => {
  const ps = new iamkit.PolicySet(POLICIES)
  const shapes = [
    BASE,
    { ...BASE, context: null },
    { ...BASE, resourceAccount: null },
    { ...BASE, resourceAccount: '444455556666' },
    { ...BASE, context: { 's3:max-keys': 5, 'aws:SecureTransport': true } },
    { ...BASE, context: { 's3:max-keys': 50, 'aws:SecureTransport': 'true' } },
    { ...BASE, context: { 's3:max-keys': -3, 'aws:securetransport': false } },
    { ...BASE, context: { 's3:max-keys': 5.5, 'aws:SecureTransport': true } },
    { ...BASE, context: { 's3:max-keys': 1e21, 'aws:SecureTransport': true } },
    { ...BASE, context: { 's3:max-keys': 2 ** 60, 'aws:SecureTransport': true } },
    { ...BASE, context: { 's3:max-keys': -0, 'aws:SecureTransport': true } },
    { ...BASE, action: 's3:ListBucket', context: { 'aws:TagKeys': ['a', 7, true] } },
    { ...BASE, action: 's3:ListBucket', context: { 'aws:TagKeys': [] } },
    { ...BASE, action: 's3:ListBucket', context: { 'aws:TagKeys': ['a\u0000b'] } },
    { ...BASE, context: { 'aws:PrincipalTag/blocked': 'yes', 'AWS:PRINCIPALTAG/BLOCKED': 'no' } },
    { ...BASE, context: { 'aws:PrincipalTag/blocked': null } },
    { ...BASE, context: { 'aws:PrincipalTag/blocked': { nested: 1 } } },
    { ...BASE, context: { 'aws:PrincipalTag/blocked': ['yes', null] } },
    { ...BASE, context: { 2: 'two', 1: 'one', b: 'b', a: 'a' } },
    { ...BASE, context: [] },
    { ...BASE, unknown: 1 },
    { ...BASE, principal: null },
    { ...BASE, principal: 'alice' },
    { ...BASE, principal: 'arn:aws:iam::111122223333:user/a\u0000b' },
    { ...BASE, action: 's3:*' },
    { ...BASE, resource: 'bucket' },
    { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' },
  ]
  for (const req of shapes) {
    const [fast, slow] = bothWays(ps, req)
    assert.deepEqual(fast, slow, JSON.stringify(req))
  }
  // the explanation of a fast-path evaluation is the JSON path's
  const ev = ps.evaluate({ ...BASE, context: { 's3:max-keys': 5, 'aws:SecureTransport': true } })
  assert.equal(ev.decision, 'allowed')
  assert.equal(ev.explain.grantedBy, 'identity')
})

test('shapes JSON text cannot carry are refused with a code, not misread', () => {
  const ps = new iamkit.PolicySet(POLICIES)
  const lone = { ...BASE, context: { k: '\ud800' } }
  assert.throws(() => ps.decide(lone), (e) => e instanceof iamkit.IamkitError && e.code === 'IAM_INVALID_ARGUMENT')
  const withGetter = { ...BASE }
  Object.defineProperty(withGetter, 'context', { enumerable: true, get() { throw new Error('boom') } })
  assert.throws(() => ps.decide(withGetter), (e) => e instanceof iamkit.IamkitError && e.code === 'IAM_INVALID_ARGUMENT')
  // a class instance is not plain: the converter decides (an answer or a coded error, never a
  // misread)
  class Req { constructor() { Object.assign(this, BASE) } }
  const got = outcome(() => ps.decide(new Req()))
  assert.ok(got[0] === 'answer' || got[1] === 'IAM_INVALID_ARGUMENT', JSON.stringify(got))
})
