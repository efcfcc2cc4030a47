// Every case in tests/cases, through the JSON entry points and the typed API.
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const iamkit = require('..')
const { corpus } = require('./cases')

const EVAL = corpus('eval')
const POLICY = corpus('policy')

test('the corpus is there', () => {
  assert.ok(EVAL.length > 250)
  assert.ok(POLICY.length > 50)
})

for (const c of EVAL) {
  test(`eval: ${c.name}`, () => {
    const exp = c.expected
    const payload = JSON.stringify({ request: c.request, policies: c.policies ?? {} })
    if (exp.error) {
      assert.throws(() => iamkit.evaluateJson(payload), (e) => e.code === exp.error.code)
      return
    }
    const out = JSON.parse(iamkit.evaluateJson(payload))
    assert.equal(out.decision, exp.decision)
    if (exp.deniedBy) assert.equal(out.explain.deniedBy, exp.deniedBy)
    const typed = iamkit.evaluate(c.request, c.policies ?? {})
    assert.equal(typed.decision, exp.decision)
    assert.equal(typed.allowed, exp.decision === 'allowed')
    if (exp.deniedBy) assert.equal(typed.explain.deniedBy, exp.deniedBy)
  })
}

for (const c of POLICY) {
  test(`policy: ${c.name}`, () => {
    const text = 'policyText' in c ? c.policyText : JSON.stringify(c.policy)
    const result = JSON.parse(iamkit.validatePolicyJson(text, c.type ?? 'identity'))
    assert.equal(result.valid, c.expected.valid, JSON.stringify(result))
    const codes = new Set(result.diagnostics.map((d) => d.code))
    for (const code of c.expected.codes ?? []) assert.ok(codes.has(code), `${code} in ${[...codes]}`)
    assert.equal(iamkit.validatePolicy(text, c.type ?? 'identity').valid, c.expected.valid)
  })
}
