// Compiled with tsc --strict by types.test.js (never run): the package's types over the
// generated contract types, used as a program would use them.
import * as iamkit from '../..'
import type { contract, Decision, Explanation, WhoCan } from '../..'

const policy = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' } }
const request: iamkit.Request = { principal: 'arn:aws:iam::111122223333:user/alice', action: 's3:GetObject', resource: '*', context: { 'aws:SecureTransport': true, 'aws:TagKeys': ['a', 'b'] } }

// call: the input and the answer typed by the call's name
const evaluation: contract.Evaluation = iamkit.call('evaluate', { request, policies: { identity: [policy] } })
const decision: Decision = evaluation.decision
const validation: boolean = iamkit.call('validate', { policy, type: 'identity' }).valid
const action: contract.ActionInfo | null = iamkit.call('lookupAction', { action: 's3:GetObject' })
const lint: contract.LintFinding[] = iamkit.call('lint', { policy }).findings
const fromText: contract.CatalogInfo = iamkit.call('catalogSource', '{}')
// @ts-expect-error: no such call
iamkit.call('nope', {})
// @ts-expect-error: `validate` takes a policy
iamkit.call('validate', { request })
// @ts-expect-error: a policy type is one of the known names
iamkit.call('validate', { policy, type: 'admin' })
// @ts-expect-error: the answer of `validate` has no `decision`
iamkit.call('validate', { policy }).decision

// PolicySet: Evaluation objects, decisions, batches of answers or errors, the generic call
const ps = new iamkit.PolicySet({ identity: [policy], scps: [[policy]] })
const e: iamkit.Evaluation = ps.evaluate(request)
const allowed: boolean = e.allowed
const explain: Explanation = e.explain
const d: 'allowed' | 'explicitDeny' | 'implicitDeny' = ps.decide(request)
for (const item of ps.evaluateBatch([request, JSON.stringify(request)])) {
  if (item instanceof iamkit.IamkitError) {
    const code: contract.ErrorCode = item.code
    const where: string | undefined = item.location?.jsonPath
  } else {
    const steps: contract.StepResult[] = item.explain.steps
  }
}
const decided: contract.Decided = ps.call('decide', request)
const batch: contract.BatchAnswer[] = ps.call('evaluateBatch', { requests: [request] })
// @ts-expect-error: `whoCan` is an account call
ps.call('whoCan', { action: 's3:GetObject', resource: '*' })
// @ts-expect-error: a request names its principal
ps.evaluate({ action: 's3:GetObject', resource: '*' })

// Account: the typed wrappers and the generic call
const acct = iamkit.Account.fromJson({ UserDetailList: [] }, { credentialReport: new Uint8Array(), managedPolicyDocuments: { 'arn:aws:iam::aws:policy/X': policy } })
iamkit.Account.fromJson('{}')
iamkit.Account.fromJson([{ UserDetailList: [] }, { RoleDetailList: [] }])
const who: WhoCan = acct.whoCan('s3:GetObject', '*', { context: { 'aws:SourceIp': '10.0.0.1' }, policies: { scps: [[policy]] } })
const admins: string[] = acct.summary().administrators
const principals: contract.PrincipalInfo[] = acct.principals()
const admin: boolean = acct.isAdministrator('user/alice')
const perms: contract.ServicePermissions[] = acct.effectivePermissions('user/alice').services
const assume: contract.TrustedEntity[] = acct.whoCanAssume('role/ops').trusted
const accountEval: Decision = acct.evaluate('alice', 's3:GetObject', '*', { resourceAccount: '111122223333' }).decision
const viaCall: contract.Administrator = acct.call('isAdministrator', { principal: 'alice' })
const summary: contract.Summary = acct.call('summary', {})
// @ts-expect-error: `isAdministrator` takes a principal
acct.call('isAdministrator', { role: 'x' })
// @ts-expect-error: `decide` is a policy-set call
acct.call('decide', request)
// @ts-expect-error: the constructor is private: use Account.fromJson
new iamkit.Account()

// the wrappers
const v: contract.Validation = iamkit.validatePolicy(JSON.stringify(policy), 'scp')
const review: contract.PolicySummary | null = iamkit.reviewPolicy(policy).summary
const matches: contract.ActionMatch[] = iamkit.expandActions(['s3:Get*'], { notAction: true })
const creds: boolean = iamkit.credentials({ Code: 'Success' }, new Date()).expired
const parsed: iamkit.ParsedCredentialReport = iamkit.parseCredentialReport({ Content: new Uint8Array(), GeneratedTime: new Date(), $metadata: {} })
const rows: iamkit.CredentialRows = parsed.rows
const firstRow: contract.CredentialRow | undefined = rows.at(-1) ?? rows[0]
const allRows: contract.CredentialRow[] = [...rows].concat(rows.slice(1), parsed.toJSON().rows)
const rowCount: number = rows.length
// @ts-expect-error the rows are read-only
rows[0] = allRows[0]
const report: contract.Finding[] = iamkit.audit({ credentialReport: new Uint8Array(), passwordPolicy: { Error: { Code: 'NoSuchEntity' } }, options: { asOf: new Date(), unusedDays: 30 } }).findings
const one: iamkit.Evaluation = iamkit.evaluate(request, { identity: [policy] })
const version: string = iamkit.version()

// errors
try {
  iamkit.validatePolicy(policy)
} catch (err) {
  if (err instanceof iamkit.IamkitError) {
    const code: contract.ErrorCode = err.code
    const wire: contract.Error = err.toJSON()
    const message: string = err.message
  }
}
