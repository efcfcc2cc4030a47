// Privilege-escalation paths from Node: the typed wrapper over the `escalations` call. (Every case
// of tests/cases/account, the lab's 122 principals and each technique, runs in conformance.test.js.)
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const iamkit = require('..')

const user = (name, action, resource) => ({
  UserName: name, UserId: `AIDA${name.toUpperCase()}`, Arn: `arn:aws:iam::111122223333:user/${name}`,
  UserPolicyList: action ? [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] } }] : [],
})
const ACCOUNT = {
  UserDetailList: [
    user('alice', 'iam:CreateAccessKey', 'arn:aws:iam::111122223333:user/bob'),
    user('bob', 'iam:PutUserPolicy', 'arn:aws:iam::111122223333:user/bob'),
    user('carol'),
  ],
  GroupDetailList: [], RoleDetailList: [], Policies: [],
}

test('escalations: two hops, each justified by the evaluator', () => {
  const acct = iamkit.Account.fromJson(ACCOUNT)
  const answer = acct.escalations({ asOf: '2026-12-01T00:00:00Z' })
  assert.equal(answer.asOf, '2026-12-01T00:00:00Z')
  const by = Object.fromEntries(answer.escalations.map((e) => [e.principal.split('/').pop(), e]))
  assert.deepEqual(Object.keys(by).sort(), ['alice', 'bob'], 'carol can do nothing')
  assert.equal(by.alice.certainty, 'exact')
  assert.deepEqual(by.alice.hops.map((h) => [h.kind, h.technique, h.target.split('/').pop()]),
    [['reach', 'iam-002', 'bob'], ['upgrade', 'iam-007', 'bob']])
  const first = by.alice.hops[0].requests[0]
  assert.deepEqual([first.action, first.resource], ['iam:CreateAccessKey', 'arn:aws:iam::111122223333:user/bob'])
  assert.equal(first.statements[0].policy, 'arn:aws:iam::111122223333:user/alice inline policy p')
  assert.deepEqual(acct.escalations({ principal: 'bob' }).escalations.map((e) => e.principal), ['arn:aws:iam::111122223333:user/bob'])
})

test('escalations: bad input is an IamkitError with a stable code', () => {
  const acct = iamkit.Account.fromJson(ACCOUNT)
  assert.throws(() => acct.escalations({ asOf: 'yesterday' }), { code: 'IAM_INVALID_ARGUMENT' })
  assert.throws(() => acct.escalations({ principal: 'nobody' }), { code: 'IAM_ACCOUNT_PRINCIPAL' })
  assert.throws(() => acct.escalations([]), { code: 'IAM_INVALID_ARGUMENT' })
})

test('escalations: to a principal lists who can obtain its permissions', () => {
  const acct = iamkit.Account.fromJson(ACCOUNT)
  const answer = acct.escalations({ to: 'user/bob', asOf: '2026-12-01T00:00:00Z' })
  assert.deepEqual(answer.escalations.map((e) => e.principal), ['arn:aws:iam::111122223333:user/alice'])
  assert.equal(answer.escalations[0].target, 'arn:aws:iam::111122223333:user/bob')
  assert.deepEqual(answer.escalations[0].hops.map((h) => h.technique), ['iam-002'])
  assert.throws(() => acct.escalations({ to: 'nobody' }), { code: 'IAM_ACCOUNT_PRINCIPAL' })
})
