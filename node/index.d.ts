// Types of the `iamkit` package (index.js), written by hand over the contract's generated types
// (contract.d.ts, made by scripts/gen-types.py: every call's input and answer). A test checks that
// this file declares exactly what index.js exports; another compiles a use of it with tsc --strict.

import type * as C from './contract'

/** The contract's generated types, every one: `contract.WhoCan`, `contract.AuditReport`, ... */
export type * as contract from './contract'
export type {
  AccountEvaluation,
  ActionInfo,
  ActionMatch,
  AuditReport,
  CatalogInfo,
  Context,
  CredentialReport,
  CredentialsStatus,
  Decision,
  Diagnostic,
  EffectivePermissions,
  ErrorCode,
  Explanation,
  LintReport,
  Location,
  MatchedStatement,
  Policies,
  PolicyReview,
  PolicySummary,
  PolicyType,
  PrincipalInfo,
  Request,
  StepResult,
  Summary,
  Validation,
  WhoCan,
  WhoCanAssume,
} from './contract'

/**
 * A document as the wrappers take it: an object or array, a string holding its text (JSON, or CSV
 * for a credential report), or bytes holding that text (UTF-8). Objects may hold Dates (written
 * as ISO 8601) and bytes (written as their text), as the AWS SDK v3 returns them.
 */
export type DocumentInput = string | Uint8Array | object

/**
 * Every error iamkit throws, and every failed item of `PolicySet.evaluateBatch`: a stable `code`,
 * a message (ending with the location, when known), and the `location`.
 */
export declare class IamkitError extends Error {
  constructor(code: C.ErrorCode, message: string, location?: C.Location | null)
  readonly name: 'IamkitError'
  /** The stable code: `IAM_POLICY_JSON`, `IAM_INPUT_SCHEMA`, `IAM_INVALID_ARGUMENT`, ... */
  readonly code: C.ErrorCode
  /** Where in the input the problem is (a JSON path, and a line and column when known). */
  readonly location: C.Location | null
  /** The wire error `{code, message, location?}`. */
  toJSON(): C.Error
}

/**
 * Answers a call that needs no handle. `input` is an object (written as JSON: Dates as ISO 8601,
 * bytes as their UTF-8 text) or JSON text (a string or bytes, taken as it is).
 */
export declare function call<K extends keyof C.Calls>(name: K, input: C.Calls[K]['input'] | string | Uint8Array): C.Calls[K]['output']

/** The result of one evaluation. */
export declare class Evaluation implements C.Evaluation {
  private constructor()
  /** `allowed`, `explicitDeny` or `implicitDeny`. */
  get decision(): C.Decision
  /** Whether the decision is `allowed`. */
  get allowed(): boolean
  /** Why: the deciding step, the statements and each step's outcome (computed when first read). */
  get explain(): C.Explanation
  /** The wire answer `{decision, explain}`. */
  toJSON(): C.Evaluation
}

/** Policies compiled once, to decide many requests. Immutable. */
export declare class PolicySet {
  /** Compiles the policies (an object or JSON text); throws an IamkitError on a bad policy. */
  constructor(policies: C.Policies | string | Uint8Array)
  /** Answers a call on the policy set: `evaluate`, `decide` (`{decision}`), `evaluateBatch`. */
  call<K extends keyof C.PolicySetCalls>(name: K, input: C.PolicySetCalls[K]['input'] | string | Uint8Array): C.PolicySetCalls[K]['output']
  /** Decides one request (an object or JSON text); the explanation is computed when first read. */
  evaluate(request: C.Request | string): Evaluation
  /** Decides one request without an explanation. */
  decide(request: C.Request | string): C.Decision
  /**
   * Decides many requests in one call: one answer per request, an Evaluation or that request's
   * IamkitError (located at `$.requests[i]`). Never throws for one bad request.
   */
  evaluateBatch(requests: ReadonlyArray<C.Request | string>): Array<Evaluation | IamkitError>
}

/** What `Account.fromJson` takes beside the authorization details. */
export interface AccountOptions {
  /** Documents of managed policies the details reference but do not list: ARN to document. */
  managedPolicyDocuments?: Record<string, DocumentInput>
  /** The credential report: CSV text, bytes, or the GetCredentialReport output (or its JSON text). */
  credentialReport?: DocumentInput | null
}

/** An AWS account loaded from `get-account-authorization-details` output; immutable. */
export declare class Account {
  private constructor()
  /**
   * Loads authorization details: one page (what the AWS SDK v3 returns), an array of pages, JSON
   * text (pages may follow one another) or bytes holding it.
   */
  static fromJson(details: DocumentInput, options?: AccountOptions): Account
  /** Answers a call on the account: `summary`, `principals`, `evaluate`, `whoCan`, ... */
  call<K extends keyof C.AccountCalls>(name: K, input: C.AccountCalls[K]['input'] | string | Uint8Array): C.AccountCalls[K]['output']
  /** Counts, administrators and the issues found while loading. */
  summary(): C.Summary
  /** Every user and role, with its policies, boundary, groups and credentials. */
  principals(): C.PrincipalInfo[]
  /** One user or role (an ARN, `user/NAME`, `role/NAME` or a unique name), as `principals` lists it. */
  principal(principal: string): C.PrincipalInfo
  /** Decides one request of a principal of the account (`user/NAME`, `role/NAME`, an ARN or a name). */
  evaluate(principal: string, action: string, resource: string, options?: Omit<C.AccountEvaluateInput, 'principal' | 'action' | 'resource'>): C.AccountEvaluation
  /** Every user and role allowed `action` on `resource`. */
  whoCan(action: string, resource: string, options?: Omit<C.WhoCanInput, 'action' | 'resource'>): C.WhoCan
  /** Who can assume `role`: principals of the account, and what the trust policy names outside it. */
  whoCanAssume(role: string, options?: Omit<C.RoleInput, 'role'>): C.WhoCanAssume
  /** What `principal` may do, by service, net of its denies and its boundary. */
  effectivePermissions(principal: string): C.EffectivePermissions
  /** Whether `principal` is allowed `*` on `*` (found by evaluation). */
  isAdministrator(principal: string): boolean
  /** Who can become an administrator, and how: each principal's shortest escalation path. */
  escalations(options?: C.EscalationsInput): C.Escalations
}

/** Which accounts an organization call answers, and on how many threads. */
export interface OrganizationOptions {
  /** Only these account ids, in this order (default: every account). */
  accounts?: string[]
  /** How many threads answer accounts side by side (default: one per core). */
  threads?: number
}

/**
 * An AWS Organization read from a folder (`scripts/collect-org.sh` fills it); each call answers
 * every account with its own SCPs and RCPs, an account that cannot be read as a line with `error`.
 */
export declare class Organization {
  private constructor()
  /** Reads the organization folder at `path` (`IAM_IO`, `IAM_ORG_DATA` when its tree cannot be read). */
  static open(path: string): Organization
  /** Answers a call on the organization: `members`, `summary`, `audit`, `whoCan`, `escalations`, `assume`. */
  call<K extends keyof C.OrganizationCalls>(name: K, input: C.OrganizationCalls[K]['input'] | string | Uint8Array): C.OrganizationCalls[K]['output']
  /** The member accounts the organization lists, in id order. */
  members(): C.Member[]
  /** Each account's OU path, SCPs and RCPs by level, counts and administrators. */
  summary(options?: C.OrgAccountsInput): C.OrgAnswer
  /** Each account's audit under its SCPs and RCPs, with the organization's checks. */
  audit(options?: C.OrgAuditInput): C.OrgAnswer
  /** Who in each account can do `action` on `resource`; a role of another account is decided with its trust policy. */
  whoCan(action: string, resource: string, options?: Omit<C.OrgWhoCanInput, 'action' | 'resource'>): C.OrgAnswer
  /** Each account's privilege-escalation paths under its SCPs. */
  escalations(options?: C.OrgAccountsInput): C.OrgAnswer
  /** Who in each account can assume roles of other accounts. */
  assume(options?: C.OrgAccountsInput): C.OrgAnswer
}

/** Options of the catalog calls: a catalog to use instead of the embedded one. */
export interface CatalogOptions {
  catalog?: unknown
}

/** Decides one request against policies, and explains the decision. */
export declare function evaluate(request: C.Request, policies?: C.Policies): Evaluation

/** Validates a policy document as `type` (default identity); an invalid policy is an answer. */
export declare function validatePolicy(policy: DocumentInput, type?: C.PolicyType): C.Validation

/** Lints a policy against the service catalog, on top of the validator. */
export declare function lintPolicy(policy: DocumentInput, type?: C.PolicyType, options?: CatalogOptions): C.LintReport

/** A policy's access by service and access level, as the IAM console summarizes it. */
export declare function summarizePolicy(policy: DocumentInput, type?: C.PolicyType, options?: CatalogOptions): C.PolicySummary

/** Lints and summarizes a policy in one reading; `summary` is null when the policy has errors. */
export declare function reviewPolicy(policy: DocumentInput, type?: C.PolicyType, options?: CatalogOptions): C.PolicyReview

/** One action of the service catalog (any case), or null when the catalog does not list it. */
export declare function lookupAction(action: string, options?: CatalogOptions): C.ActionInfo | null

/** The actions the patterns cover (`s3:Get*`), or with `notAction` every action they do not. */
export declare function expandActions(patterns: string | string[], options?: Omit<C.ExpandActionsInput, 'patterns'>): C.ActionMatch[]

/** Where the service catalog comes from, and its size. */
export declare function catalogSource(options?: C.CatalogInput): C.CatalogInfo

/** Reads an EC2 instance-metadata credential document and reports it without its secrets. */
export declare function credentials(document: DocumentInput, asOf?: string | Date): C.CredentialsStatus

/**
 * The rows of a parsed credential report: array-like, read-only and lazy (kept native; each row is
 * made when read, a fresh plain object equal to the answer's row). An index out of range gives
 * `undefined`, as arrays do.
 */
export interface CredentialRows extends Iterable<C.CredentialRow> {
  /** How many rows. */
  readonly length: number
  /** The row at a non-negative index, or undefined when out of range. */
  readonly [index: number]: C.CredentialRow | undefined
  /** The row at `index` (negative counts from the end), or undefined when out of range. */
  at(index: number): C.CredentialRow | undefined
  /** The rows `start..end` as an array (negative indices count from the end). */
  slice(start?: number, end?: number): C.CredentialRow[]
  /** Calls `fn` on each row. */
  forEach(fn: (row: C.CredentialRow, index: number, rows: CredentialRows) => void, thisArg?: unknown): void
  /** `fn` of each row, as an array. */
  map<U>(fn: (row: C.CredentialRow, index: number, rows: CredentialRows) => U, thisArg?: unknown): U[]
  /** The rows for which `fn` is truthy, as an array. */
  filter(fn: (row: C.CredentialRow, index: number, rows: CredentialRows) => unknown, thisArg?: unknown): C.CredentialRow[]
  /** Every row, as the answer's array (all made now). */
  toJSON(): C.CredentialRow[]
}

/** A parsed credential report: the members of the `credentialReport` answer, its rows lazy. */
export interface ParsedCredentialReport {
  /** `GeneratedTime` from the API envelope, when the input had one (absent otherwise). */
  readonly generatedTime?: C.Instant
  /** The rows, in file order. */
  readonly rows: CredentialRows
  /** The answer (`call('credentialReport')`'s), every row made now. */
  toJSON(): C.CredentialReport
}

/**
 * Parses a credential report (CSV text, bytes, or the GetCredentialReport output) into typed rows:
 * the answer of `call('credentialReport')` with its rows kept native until read.
 */
export declare function parseCredentialReport(report: DocumentInput): ParsedCredentialReport

/** The audit's inputs: each the AWS CLI or SDK output (an object, text or bytes), every one optional. */
export type AuditInputs = {
  [K in Exclude<keyof C.AuditInput, 'options'>]?: C.AuditInput[K] | DocumentInput
} & {
  /** Thresholds, and the instant ages are computed from (a Date or RFC 3339 text). */
  options?: Omit<C.AuditOptions, 'asOf'> & { asOf?: string | Date | null }
}

/** Audits an account (CIS AWS Foundations Benchmark and IAM best practice). */
export declare function audit(inputs?: AuditInputs): C.AuditReport

/** The iamkit version. */
export declare function version(): string
