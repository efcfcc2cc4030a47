// Every public function, given wrong JavaScript types in every argument: an IamkitError with code
// IAM_INVALID_ARGUMENT (or the core's IAM_INPUT_SCHEMA for valid JSON of the wrong shape), never a
// TypeError, a RangeError or napi's StringExpected.
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const iamkit = require('..')

const POLICY = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' } }
const REQUEST = { principal: 'arn:aws:iam::111122223333:user/alice', action: 's3:GetObject', resource: '*' }
const REPORT = require('node:fs').readFileSync(require('node:path').join(__dirname, '..', '..', 'examples', 'demo-account', 'credential-report.csv'))
const DETAILS = {
  UserDetailList: [{ UserName: 'alice', UserId: 'AIDA1', Arn: 'arn:aws:iam::111122223333:user/alice' }],
  RoleDetailList: [{ RoleName: 'ops', RoleId: 'AROA1', Arn: 'arn:aws:iam::111122223333:role/ops', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] } }],
}

function circular() {
  const o = { a: [1] }
  o.a.push(o)
  return o
}
function deep(n) {
  let v = []
  for (let i = 0; i < n; i++) v = [v]
  return v
}

/** Values JavaScript has and JSON does not carry (or carries as something else). */
const BAD = {
  undefined: () => undefined,
  null: () => null,
  number: () => 42,
  NaN: () => NaN,
  symbol: () => Symbol('s'),
  function: () => () => 1,
  bigint: () => 10n,
  circular,
  'deep array (5000)': () => deep(5000),
  'lone surrogate': () => '\ud800',
  'toJSON throws': () => ({ toJSON() { throw new Error('no') } }),
  'getter throws': () => Object.defineProperty({}, 'x', { enumerable: true, get() { throw new Error('no') } }),
  Map: () => new Map([['a', 1]]),
  Set: () => new Set([1]),
  'invalid Date': () => new Date('nonsense'),
  'bytes not UTF-8': () => Buffer.from([0xc3, 0x28]),
  'context with undefined': () => ({ ...REQUEST, context: { k: undefined } }),
  'context with a BigInt': () => ({ ...REQUEST, context: { k: [1n] } }),
  'context with a function': () => ({ ...REQUEST, context: { k: () => 1 } }),
}

const ps = new iamkit.PolicySet({ identity: [POLICY] })
const acct = iamkit.Account.fromJson(DETAILS)

/** Each public function with good arguments; `optional` argument positions may be undefined, `nullable` ones null. */
const FUNCTIONS = {
  call: { f: iamkit.call, args: ['validate', { policy: POLICY }] },
  evaluate: { f: iamkit.evaluate, args: [REQUEST, { identity: [POLICY] }], optional: [1] },
  validatePolicy: { f: iamkit.validatePolicy, args: [POLICY, 'identity'], optional: [1] },
  lintPolicy: { f: iamkit.lintPolicy, args: [POLICY, 'identity', {}], optional: [1, 2] },
  summarizePolicy: { f: iamkit.summarizePolicy, args: [POLICY, 'identity', {}], optional: [1, 2] },
  reviewPolicy: { f: iamkit.reviewPolicy, args: [POLICY, 'identity', {}], optional: [1, 2] },
  lookupAction: { f: iamkit.lookupAction, args: ['s3:GetObject', {}], optional: [1] },
  expandActions: { f: iamkit.expandActions, args: ['s3:Get*', { notAction: false }], optional: [1] },
  catalogSource: { f: iamkit.catalogSource, args: [{}], optional: [0] },
  credentials: { f: iamkit.credentials, args: [{ Code: 'Success', AccessKeyId: 'ASIA1', SecretAccessKey: 's', Token: 't', Expiration: '2026-01-01T00:00:00Z' }, '2026-01-02T00:00:00Z'], optional: [1], nullable: [1] },
  parseCredentialReport: { f: iamkit.parseCredentialReport, args: [REPORT] },
  audit: { f: iamkit.audit, args: [{}], optional: [0] },
  'new PolicySet': { f: (p) => new iamkit.PolicySet(p), args: [{ identity: [POLICY] }] },
  'PolicySet.call': { f: (n, i) => ps.call(n, i), args: ['decide', REQUEST] },
  'PolicySet.evaluate': { f: (r) => ps.evaluate(r), args: [REQUEST] },
  'PolicySet.evaluate().explain': { f: (r) => ps.evaluate(r).explain, args: [REQUEST] },
  'PolicySet.decide': { f: (r) => ps.decide(r), args: [REQUEST] },
  'PolicySet.evaluateBatch': { f: (r) => ps.evaluateBatch(r), args: [[REQUEST]] },
  'Account.fromJson': { f: iamkit.Account.fromJson, args: [DETAILS, {}], optional: [1] },
  'Account.call': { f: (n, i) => acct.call(n, i), args: ['isAdministrator', { principal: 'alice' }] },
  'Account.evaluate': { f: (...a) => acct.evaluate(...a), args: ['alice', 's3:GetObject', '*', {}], optional: [3] },
  'Account.whoCan': { f: (...a) => acct.whoCan(...a), args: ['s3:GetObject', '*', {}], optional: [2] },
  'Account.whoCanAssume': { f: (...a) => acct.whoCanAssume(...a), args: ['role/ops', {}], optional: [1] },
  'Account.effectivePermissions': { f: (p) => acct.effectivePermissions(p), args: ['alice'] },
  'Account.isAdministrator': { f: (p) => acct.isAdministrator(p), args: ['alice'] },
}

const ALLOWED = new Set(['IAM_INVALID_ARGUMENT', 'IAM_INPUT_SCHEMA'])

function refused(what, f) {
  let thrown = null
  try {
    const out = f()
    // evaluateBatch given an array: every request in it is refused as its own answer
    if (Array.isArray(out) && out.length > 0 && out.every((e) => e instanceof iamkit.IamkitError)) thrown = out[0]
  } catch (e) {
    thrown = e
  }
  assert.ok(thrown !== null, `${what}: no error`)
  assert.ok(thrown instanceof iamkit.IamkitError, `${what}: not an IamkitError: ${thrown && thrown.stack}`)
  assert.ok(ALLOWED.has(thrown.code), `${what}: ${thrown.code}: ${thrown.message}`)
  return thrown
}

test('the good arguments of the sweep are good', () => {
  for (const [name, { f, args }] of Object.entries(FUNCTIONS)) {
    assert.doesNotThrow(() => f(...args), name)
  }
})

for (const [name, { f, args, optional = [], nullable = [] }] of Object.entries(FUNCTIONS)) {
  test(`sweep: ${name}`, () => {
    for (let i = 0; i < args.length; i++) {
      for (const [label, make] of Object.entries(BAD)) {
        if (label === 'undefined' && optional.includes(i)) continue
        if (label === 'null' && nullable.includes(i)) continue
        const bad = [...args]
        bad[i] = make()
        refused(`${name} argument ${i} = ${label}`, () => f(...bad))
      }
    }
  })
}

test('sweep: a bad request inside evaluateBatch is that item\'s error, not a throw', () => {
  for (const [label, make] of Object.entries(BAD)) {
    const out = ps.evaluateBatch([REQUEST, make(), REQUEST])
    assert.equal(out.length, 3, label)
    assert.equal(out[0].decision, 'allowed', label)
    assert.equal(out[2].decision, 'allowed', label)
    const e = out[1]
    assert.ok(e instanceof iamkit.IamkitError, `${label}: ${e}`)
    assert.ok(ALLOWED.has(e.code), `${label}: ${e.code} ${e.message}`)
    assert.ok(e.location.jsonPath.startsWith('$.requests[1]'), `${label}: ${e.location.jsonPath}`)
  }
})

test('sweep: the refusals name the path of the value', () => {
  const at = (f) => refused('path', f).location.jsonPath
  assert.equal(at(() => ps.evaluate({ ...REQUEST, context: { 'aws:TagKeys': ['a', 10n] } })), "$.context['aws:TagKeys'][1]")
  assert.equal(at(() => iamkit.call('evaluate', { request: REQUEST, policies: { identity: [POLICY, { Statement: [{ Effect: undefined }] }] } })),
    '$.policies.identity[1].Statement[0].Effect')
  assert.equal(at(() => iamkit.validatePolicy({ a: { toJSON() { throw new Error('x') } } })), '$.policy.a')
  assert.equal(at(() => iamkit.validatePolicy({ b: { '\udc00': 1 } })), '$.policy.b')
  assert.equal(at(() => iamkit.validatePolicy(circular())), '$.policy.a[1]')
  assert.equal(at(() => iamkit.lookupAction(42)), '$.action')
  const e = refused('deep', () => iamkit.validatePolicy(deep(5000)))
  assert.ok(e.message.length < 400, 'a long path is cut in the message')
})
