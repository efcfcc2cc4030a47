// The service catalog from Node: every case in tests/cases/catalog, and the API.
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const iamkit = require('..')
const { corpus } = require('./cases')

const CASES = corpus('catalog')

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

test('the catalog corpus is there', () => assert.ok(CASES.length > 20))

for (const c of CASES) {
  test(`catalog: ${c.name}`, () => {
    let got
    try {
      got = { answer: JSON.parse(iamkit.catalogJson(JSON.stringify(c.query))) }
    } catch (e) {
      assert.ok(typeof e.code === 'string' && e.code.startsWith('IAM_'), String(e))
      got = { error: { code: e.code, message: e.message } }
    }
    assert.ok(subset(c.expected, got), JSON.stringify(got).slice(0, 2000))
  })
}

test('catalog API', () => {
  assert.equal(iamkit.lookupAction('S3:getobject').access, 'Read')
  assert.equal(iamkit.lookupAction('s3:nope'), null)
  assert.deepEqual(iamkit.expandActions('s3:?etObject').map((m) => m.action), ['s3:GetObject'])
  const r = iamkit.lintPolicy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' } })
  assert.deepEqual(r.findings.map((f) => f.code), ['IAM_LINT_PASSROLE_STAR'])
  assert.equal(iamkit.summarizePolicy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'sqs:*', Resource: '*' } }).services[0].access, 'Full access')
  assert.throws(() => iamkit.lintPolicy({}, 'nope'), { code: 'IAM_INPUT_SCHEMA' })
  const policy = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: ['sqs:*', 'iam:PassRole'], Resource: '*' } }
  const review = iamkit.reviewPolicy(JSON.stringify(policy))
  assert.deepEqual(review.lint, iamkit.lintPolicy(policy))
  assert.deepEqual(review.summary, iamkit.summarizePolicy(policy))
  assert.equal(iamkit.reviewPolicy({ Version: '2012-10-17', Statement: { Effect: 'allow' } }).summary, null)
})
