// Types of the `iamkit` package (index.js). The native half's generated types are in native.d.ts;
// a test checks that this file declares exactly what index.js exports.

/** A decision. */
export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny'

/** A kind of policy, as the validator knows it. */
export type PolicyType = 'identity' | 'resource' | 'trust' | 'scp' | 'rcp' | 'boundary' | 'session'

/** A policy document: an object, or JSON text (as the AWS SDK v3 returns it, URL-decoded). */
export type PolicyDocument = Record<string, unknown> | string

/** The policies of one request: every field optional. */
export interface Policies {
  /** Identity-based policies of the principal. */
  identity?: PolicyDocument[]
  /** The resource's policy (a trust policy for `sts:AssumeRole` on a role). */
  resource?: PolicyDocument
  /** Permissions boundaries. */
  permissionBoundaries?: PolicyDocument[]
  /** A session policy. */
  session?: PolicyDocument
  /** SCPs, one array per level of the organization (root first). */
  scps?: PolicyDocument[][]
  /** RCPs, one array per level of the organization (root first). */
  rcps?: PolicyDocument[][]
}

/** A request: who does what on which resource, with its context. */
export interface Request {
  /** An ARN, a service principal, an identity provider, or `anonymous`. */
  principal: string
  /** `service:Action`. */
  action: string
  /** An ARN or `*`. */
  resource: string
  /** The resource's account, when the ARN does not name it. */
  resourceAccount?: string
  /** Condition keys to a string, number or boolean, or an array of them (multivalued). */
  context?: Record<string, string | number | boolean | Array<string | number | boolean>>
}

/** A statement that took part in a decision. */
export interface MatchedStatement {
  /** The step (kind of policy). */
  step: string
  /** Where the policy is: `identity[0]`, `scps[1][0]`, `resource`, ... */
  policy: string
  /** The statement's index. */
  statement: number
  /** The statement's Sid. */
  sid?: string
  /** `Allow` or `Deny`. */
  effect: 'Allow' | 'Deny'
  /** Applied fail-closed because its conditions could not be decided. */
  indeterminate: boolean
}

/** One step's outcome. */
export interface StepResult {
  /** The step. */
  step: string
  /** `allow`, `implicitDeny`, `explicitDeny`, `notApplicable`. */
  outcome: string
}

/** Why a decision came out as it did. */
export interface Explanation {
  /** The step that denied (`scp`, `rcp`, `resource`, `identity`, `boundary`, `session`). */
  deniedBy?: string
  /** What granted (`identity`, `resource`, `root`). */
  grantedBy?: string
  /** One sentence a person can act on. */
  reason: string
  /** The statements that decided. */
  statements: MatchedStatement[]
  /** Each step's outcome, in chain order. */
  steps: StepResult[]
}

/** The result of one evaluation. */
export declare class Evaluation {
  private constructor()
  /** `allowed`, `explicitDeny` or `implicitDeny`. */
  get decision(): Decision
  /** Whether the decision is `allowed`. */
  get allowed(): boolean
  /** Why: the deciding step, statements and step outcomes (computed when first read). */
  get explain(): Explanation
  /** The wire JSON `{"decision", "explain"}`. */
  toJSON(): { decision: Decision; explain: Explanation }
}

/** Policies compiled once, to evaluate many requests. Immutable. */
export declare class PolicySet {
  /** Compiles the policies (an object or JSON text). Throws an `IamkitError` on a bad policy. */
  constructor(policies: Policies | string)
  /** Decides one request; the explanation is computed when first read. */
  evaluate(request: Request): Evaluation
  /** Decides one request without an explanation. */
  decide(request: Request): Decision
  /** Decides many requests in one call; throws the first bad request's error. */
  evaluateBatch(requests: Request[]): Evaluation[]
  /** Decides one request given as JSON text; returns `{"decision", "explain"}` as JSON text. */
  evaluateJson(requestJson: string): string
}

/** Where a diagnostic points. */
export interface Location {
  /** JSONPath, e.g. `$.Statement[0].Effect`. */
  jsonPath: string
  /** 1-based line. */
  line: number
  /** 1-based column. */
  column: number
}

/** One validation finding. */
export interface Diagnostic {
  /** The stable code, e.g. `IAM_POLICY_EFFECT`. */
  code: string
  /** `error` or `warning`. */
  severity: 'error' | 'warning'
  /** A human-readable message. */
  message: string
  /** Where. */
  location: Location
}

/** The result of validating a policy. */
export interface Validation {
  /** No error-severity diagnostic. */
  valid: boolean
  /** Every diagnostic. */
  diagnostics: Diagnostic[]
}

/** Every error iamkit throws is an `Error` with one of iamkit's stable codes. */
export interface IamkitError extends Error {
  /** The stable code, e.g. `IAM_POLICY_JSON`, `IAM_REQUEST_PRINCIPAL`, `IAM_INTERNAL`. */
  code: string
}

/** Policies an account query adds: SCP and RCP levels, a resource policy, a session policy. */
export type ExtraPolicies = Pick<Policies, 'scps' | 'rcps' | 'resource' | 'session'>

/** Options of `Account.fromJson`. */
export interface AccountOptions {
  /** Documents of managed policies the output references but does not list, by ARN. */
  managedPolicyDocuments?: Record<string, PolicyDocument>
  /** The credential report: each user's console password, MFA and access keys (see `principals()`). */
  credentialReport?: CredentialReportInput
}

/** An account's answer for one principal. */
export interface AccountEvaluation {
  principal: string
  decision: Decision
  /** Policies are named by label: an ARN, `ARN (via group G)`, `ENTITY-ARN inline policy NAME`. */
  explain: Explanation
  /** Policies whose documents are unknown (then an Allow is not trusted). */
  incomplete?: string[]
}

/** A principal allowed, with the statements that allow it. */
export interface WhoCanEntry {
  principal: string
  kind: 'user' | 'role'
  name: string
  statements: MatchedStatement[]
}

/** The answer of `whoCan`. */
export interface WhoCan {
  allowed: WhoCanEntry[]
  undecided: string[]
}

/** Something a trust policy names, with the conditions that guard it. */
export interface TrustedEntity {
  kind: 'anyone' | 'account' | 'principal' | 'service' | 'federated' | 'canonicalUser'
  value: string
  account?: string
  inAccount: boolean
  effect: 'Allow' | 'Deny'
  actions: string[]
  statement: number
  sid?: string
  conditions: Record<string, unknown> | null
  externalId: boolean
  mfa: boolean
  org: boolean
  source: boolean
}

/** The answer of `whoCanAssume`. */
export interface WhoCanAssume {
  role: string
  principals: WhoCanEntry[]
  undecided: string[]
  trusted: TrustedEntity[]
}

/** A problem found while loading that did not stop the load. */
export interface LoadIssue {
  code: 'danglingGroup' | 'danglingPolicy' | 'missingDocument' | 'ambiguousDefault' | 'truncated' | 'duplicate' | 'unusableArn' | 'reportUserUnknown'
  entity: string
  field: string
  message: string
}

/** An overview of the account. */
export interface AccountSummary {
  accountId?: string
  partition: string
  users: number
  groups: number
  roles: number
  customerPolicies: number
  awsManagedPolicies: number
  instanceProfiles: number
  administrators: string[]
  issues: LoadIssue[]
}

/** One AWS account loaded from authorization details; immutable. */
export declare class Account {
  private constructor()
  /** Loads authorization details (an object, an array of pages, or JSON text). */
  static fromJson(details: Record<string, unknown> | Record<string, unknown>[] | string, options?: AccountOptions | string): Account
  /** Answers one query object (see tests/README.md, account cases). */
  query(query: { query: string; [key: string]: unknown }): any
  /** Answers one query given as JSON text; returns JSON text. */
  queryJson(queryJson: string): string
  /** Counts, administrators and load issues. */
  summary(): AccountSummary
  /** Every user and role with its policies. */
  principals(): Array<Record<string, unknown>>
  /** Decides one request of a principal of the account. */
  evaluate(principal: string, action: string, resource: string, options?: { context?: Request['context']; policies?: ExtraPolicies; resourceAccount?: string }): AccountEvaluation
  /** Every user and role allowed `action` on `resource`. */
  whoCan(action: string, resource: string, options?: { context?: Request['context']; policies?: ExtraPolicies }): WhoCan
  /** Who can become `role`. */
  whoCanAssume(role: string, options?: { policies?: ExtraPolicies }): WhoCanAssume
  /** What `principal` may do, by service, net of its denies and its boundary. */
  effectivePermissions(principal: string): Record<string, unknown>
  /** Whether `principal` is allowed `*` on `*` (by evaluation). */
  isAdministrator(principal: string): boolean
}

/** What iamkit reports of an instance-metadata credential document (no secrets). */
export interface CredentialsReport {
  code: string
  type?: string
  accessKeyId: string
  keyKind: 'longTerm' | 'temporary' | 'unknown'
  lastUpdated?: string
  expiration: string
  expired: boolean
}

/** Reads an EC2 instance-metadata credential document; `asOf` is ISO 8601 (default now). */
export declare function credentials(document: Record<string, unknown> | string, asOf?: string): CredentialsReport

/** A credential report cell: a value, or one of the report's special values. */
export type Special = 'N/A' | 'not_supported' | 'no_information'

/** One access-key slot of a credential report row (timestamps are RFC 3339 strings). */
export interface KeySlot {
  active: boolean | Special
  lastRotated: string
  lastUsedDate: string
  lastUsedRegion: string
  lastUsedService: string
}

/** One row of the credential report. */
export interface CredentialRow {
  line: number
  user: string
  arn: string
  isRoot: boolean
  userCreationTime: string
  passwordEnabled: boolean | Special
  passwordLastUsed: string
  passwordLastChanged: string
  passwordNextRotation: string
  mfaActive: boolean | Special
  accessKeys: [KeySlot, KeySlot]
  certs: [{ active: boolean | Special; lastRotated: string }, { active: boolean | Special; lastRotated: string }]
}

/** A parsed credential report. */
export interface CredentialReport {
  generatedTime?: string
  rows: CredentialRow[]
}

/** A credential report: the CSV, its bytes, or the SDK's GetCredentialReport output. */
export type CredentialReportInput = string | Uint8Array | { Content?: string | Uint8Array; GeneratedTime?: string | Date; ReportFormat?: string }

/** Parses a credential report; throws an Error with code IAM_REPORT_FORMAT naming the line and column. */
export declare function parseCredentialReport(report: CredentialReportInput): CredentialReport

/** The audit's thresholds and reference instant. */
export interface AuditOptions {
  /** Default: the report's GeneratedTime, else now. */
  asOf?: string | Date
  unusedDays?: number
  rotationDays?: number
  rootUseDays?: number
  minPasswordLength?: number
  passwordReuse?: number
  maxPasswordAge?: number
}

/** The audit's inputs: each the AWS CLI / SDK output (objects or text); every one optional. */
export interface AuditInputs {
  credentialReport?: CredentialReportInput
  authorizationDetails?: Record<string, unknown> | Record<string, unknown>[] | string
  managedPolicyDocuments?: Record<string, PolicyDocument>
  /** GetAccountPasswordPolicy output, or `{Error: {Code: 'NoSuchEntity'}}` when there is no custom policy. */
  passwordPolicy?: Record<string, unknown> | string
  accountSummary?: Record<string, unknown> | string
  virtualMfaDevices?: Record<string, unknown> | string
  options?: AuditOptions
}

/** One audit finding. */
export interface Finding {
  checkId: string
  title: string
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info'
  status: 'fail' | 'pass' | 'notEvaluated'
  resource: { arn: string; slot?: string }
  evidence: Record<string, unknown>
  reason: string
  remediation: { text: string; cli?: string }
  compliance: Record<string, string[]>
}

/** The audit's answer. */
export interface AuditReport {
  asOf: string
  asOfSource: 'option' | 'reportGeneratedTime' | 'now'
  reportGeneratedTime?: string
  accountId?: string
  summary: { fail: number; pass: number; notEvaluated: number; failedBySeverity: Record<string, number> }
  findings: Finding[]
}

/** Audits an account against CIS AWS Foundations and IAM best practice. */
export declare function audit(inputs?: AuditInputs): AuditReport

/** The JSON entry point shared with C: audit inputs (JSON text) in, the report (JSON text) out. */
export declare function auditJson(inputsJson: string): string

/** An access level. */
export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging'

/** An action as the catalog describes it. */
export interface CatalogAction {
  action: string
  service: string
  access: AccessLevel
  resources: Array<{ name: string; required: boolean; arn?: string; conditionKeys: string[] }>
  conditionKeys: string[]
}

/** One linter finding. */
export interface LintFinding {
  code: string
  severity: 'error' | 'warning'
  message: string
  location: Location
  fix?: string
}

/** A policy summary: access by service and level. */
export interface PolicySummary {
  services: Array<{
    service: string
    name: string
    access: string
    allow: Array<{ level: AccessLevel; actions: number; total: number; resources: string[]; conditionKeys: string[]; conditional: boolean }>
    deny: Array<{ level: AccessLevel; actions: number; total: number; resources: string[]; conditionKeys: string[]; conditional: boolean }>
  }>
  unknownServices: string[]
}

/** Looks an action up in the embedded AWS service catalog (any case); null when unknown. */
export declare function lookupAction(action: string): CatalogAction | null

/** The actions the patterns cover (`s3:Get*`), or with `notAction` every action they do not. */
export declare function expandActions(patterns: string | string[], options?: { notAction?: boolean }): Array<{ action: string; access: AccessLevel }>

/** The linter's report. */
export interface LintReport {
  valid: boolean
  findings: LintFinding[]
}

/** Lints a policy against the catalog, on top of the validator. */
export declare function lintPolicy(policy: PolicyDocument, type?: PolicyType): LintReport

/** Summarizes a policy by service and access level. */
export declare function summarizePolicy(policy: PolicyDocument, type?: PolicyType): PolicySummary

/** Lints and summarizes a policy in one reading; `summary` is null when the policy has errors. */
export declare function reviewPolicy(
  policy: PolicyDocument,
  type?: PolicyType,
): { lint: LintReport; summary: PolicySummary | null }

/** The JSON entry point shared with C: a catalog query (JSON text) in, the answer (JSON text) out. */
export declare function catalogJson(queryJson: string): string

/** Decides one request against policies (an object or JSON text) and explains the decision. */
export declare function evaluate(request: Request, policies: Policies | string): Evaluation

/** Validates a policy document (an object or JSON text) as `type` (default identity). */
export declare function validatePolicy(policy: PolicyDocument, type?: PolicyType): Validation

/** The JSON entry point shared with C: `{"request", "policies"}` in, `{"decision", "explain"}` out. */
export declare function evaluateJson(caseJson: string): string

/** The JSON entry point shared with C: validates a policy; returns `{"valid", "diagnostics"}`. */
export declare function validatePolicyJson(policyJson: string, policyType: string): string

/** The iamkit version. */
export declare function version(): string
