// Organization over examples/demo-org: each account answered with its own SCPs and RCPs, broken
// accounts as error lines, the answers independent of the threads, bad input refused.
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')

const iamkit = require('..')

const DEMO_ORG = path.join(__dirname, '..', '..', 'examples', 'demo-org')
const AS_OF = '2026-12-01T00:00:00Z'
const byAccount = (answer) => Object.fromEntries(answer.accounts.map((l) => [l.accountId, l]))

test('members and summary follow the tree', () => {
  const org = iamkit.Organization.open(DEMO_ORG)
  assert.deepEqual(org.members().map((m) => m.id), ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555'])
  const lines = byAccount(org.summary())
  assert.equal(lines['222222222222'].summary.path, 'Root/Workloads/Prod')
  assert.deepEqual(lines['222222222222'].summary.scps[1], ['FullAWSAccess', 'DenyRootAndLeave'])
  assert.equal(lines['444444444444'].error.code, 'IAM_INPUT_JSON')
  assert.equal(lines['555555555555'].error.code, 'IAM_ORG_DATA')
})

test('the audit judges each account by its own SCPs, whatever the threads', () => {
  const org = iamkit.Organization.open(DEMO_ORG)
  const one = org.audit({ options: { asOf: AS_OF }, threads: 1 })
  assert.deepEqual(org.audit({ options: { asOf: AS_OF }, threads: 3 }), one)
  const lines = byAccount(one)
  const status = (acct, check) => lines[acct].audit.findings.filter((f) => f.checkId === check).map((f) => f.status)
  assert.deepEqual(status('222222222222', 'org-scp-denies-root'), ['pass'])
  assert.deepEqual(status('333333333333', 'org-scp-denies-root'), ['fail'])
  assert.deepEqual(status('222222222222', 'org-trust-outside'), ['fail', 'fail']) // partner-audit, spoofed-org
})

test('roles of other accounts: trust policy, caller policies and the RCPs', () => {
  const org = iamkit.Organization.open(DEMO_ORG)
  const deploy = 'arn:aws:iam::222222222222:role/deploy'
  const who = byAccount(org.whoCan('sts:AssumeRole', deploy, { accounts: ['333333333333'] }))
  assert.deepEqual(who['333333333333'].whoCan.allowed.map((e) => e.principal), ['arn:aws:iam::333333333333:user/dev'])
  const other = byAccount(org.whoCan('sts:AssumeRole', deploy, { accounts: ['333333333333'], context: { 'aws:PrincipalOrgID': 'o-other' } }))
  assert.deepEqual(other['333333333333'].whoCan.allowed, [])
  const assume = byAccount(org.assume())
  assert.deepEqual(assume['333333333333'].assume.map((r) => r.role), [deploy])
  const esc = byAccount(org.escalations({ asOf: AS_OF, accounts: ['333333333333'] }))
  assert.equal(esc['333333333333'].escalations.escalations[0].hops[0].technique, 'iam-007')
})

test('bad input is an iamkit error', () => {
  const code = (f) => {
    try {
      f()
    } catch (e) {
      assert.ok(e instanceof iamkit.IamkitError, String(e))
      return e.code
    }
    assert.fail('no error')
  }
  assert.equal(code(() => iamkit.Organization.open(path.join(DEMO_ORG, 'nothing-here'))), 'IAM_IO')
  assert.equal(code(() => iamkit.Organization.open(path.join(DEMO_ORG, '..', 'demo-account'))), 'IAM_ORG_DATA')
  assert.equal(code(() => iamkit.Organization.open(42)), 'IAM_INVALID_ARGUMENT')
  assert.equal(code(() => new iamkit.Organization()), 'IAM_INVALID_ARGUMENT')
  const org = iamkit.Organization.open(DEMO_ORG)
  assert.equal(code(() => org.summary({ accounts: '222222222222' })), 'IAM_INVALID_ARGUMENT')
  assert.equal(code(() => org.summary({ threads: 0 })), 'IAM_INVALID_ARGUMENT')
  assert.equal(code(() => org.call('nope', {})), 'IAM_INVALID_ARGUMENT')
})
