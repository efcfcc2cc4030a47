package iamkit

/*
#include <stdlib.h>
#include "iamkit.h"
*/
import "C"

import (
	"encoding/json"
	"runtime"
	"sync"
	"unsafe"
)

// Account is one AWS account loaded from `aws iam get-account-authorization-details` output:
// users, groups, roles and managed policies, compiled once. It is immutable and safe for
// concurrent use by many goroutines. Call Close to release it.
type Account struct {
	mu sync.RWMutex
	h  *C.IamkitAccount
}

// NewAccount loads authorization details (one page, an array of pages, or pages one after
// another). optionsJSON may be nil, or {"managedPolicyDocuments": {ARN: document}} with the
// documents of managed policies the output references but does not list.
func NewAccount(detailsJSON, optionsJSON []byte) (*Account, error) {
	cd, err := cString(detailsJSON)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cd))
	var co *C.char
	if optionsJSON != nil {
		if co, err = cString(optionsJSON); err != nil {
			return nil, err
		}
		defer C.free(unsafe.Pointer(co))
	}
	var h *C.IamkitAccount
	if _, err := call(func(_, errJSON **C.char) C.enum_IamkitStatus {
		return C.iamkit_account_new(cd, co, &h, errJSON)
	}); err != nil {
		return nil, err
	}
	if h == nil {
		return nil, internalError("iamkit_account_new succeeded without an account")
	}
	a := &Account{h: h}
	runtime.SetFinalizer(a, (*Account).Close)
	return a, nil
}

// Close releases the account. It waits for queries in progress, is idempotent, and always
// returns nil; later queries return an *Error with Code "IAM_INVALID_ARGUMENT".
func (a *Account) Close() error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.h != nil {
		C.iamkit_account_free(a.h)
		a.h = nil
		runtime.SetFinalizer(a, nil)
	}
	return nil
}

// QueryJSON answers one query given as JSON ({"query": "summary" | "principals" | "evaluate" |
// "whoCan" | "whoCanAssume" | "permissions" | "isAdministrator", ...}; see tests/README.md) and
// returns the answer as JSON.
func (a *Account) QueryJSON(queryJSON []byte) ([]byte, error) {
	if a == nil {
		return nil, invalidArgument("the Account is nil")
	}
	cs, err := cString(queryJSON)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cs))
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.h == nil {
		return nil, invalidArgument("the Account is closed")
	}
	out, err := call(func(out, errJSON **C.char) C.enum_IamkitStatus {
		return C.iamkit_account_query_json(a.h, cs, out, errJSON)
	})
	runtime.KeepAlive(a)
	return out, err
}

func (a *Account) query(q interface{}, into interface{}) error {
	b, err := marshal(q)
	if err != nil {
		return err
	}
	out, err := a.QueryJSON(b)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(out, into); err != nil {
		return internalError("cannot read iamkit's answer: %v", err)
	}
	return nil
}

// AccountQuery is an action on a resource, with context and the policies that do not live in
// the account (SCP and RCP levels, a resource policy, a session policy).
type AccountQuery struct {
	// Action is "service:Action".
	Action string `json:"action,omitempty"`
	// Resource is an ARN or "*".
	Resource string `json:"resource,omitempty"`
	// ResourceAccount is the resource's account, when the ARN does not name it.
	ResourceAccount string `json:"resourceAccount,omitempty"`
	// Context maps condition keys to values; it overrides the keys filled in from the principal.
	Context map[string]interface{} `json:"context,omitempty"`
	// Policies may hold SCPs, RCPs, Resource and Session (not Identity nor boundaries).
	Policies *Policies `json:"policies,omitempty"`
}

type wireQuery struct {
	Query     string `json:"query"`
	Principal string `json:"principal,omitempty"`
	Role      string `json:"role,omitempty"`
	AccountQuery
}

// AccountEvaluation is the answer for one principal.
type AccountEvaluation struct {
	// Principal is the principal's ARN.
	Principal string `json:"principal"`
	// Decision is "allowed", "explicitDeny" or "implicitDeny".
	Decision string `json:"decision"`
	// Explain names the account's policies that decided.
	Explain Explanation `json:"explain"`
	// Incomplete lists policies whose documents are unknown (an Allow is then not trusted).
	Incomplete []string `json:"incomplete,omitempty"`
}

// Allowed reports whether the decision is "allowed".
func (e *AccountEvaluation) Allowed() bool { return e != nil && e.Decision == "allowed" }

// WhoCanEntry is one principal allowed, with the statements that allow it.
type WhoCanEntry struct {
	Principal  string             `json:"principal"`
	Kind       string             `json:"kind"`
	Name       string             `json:"name"`
	Statements []MatchedStatement `json:"statements"`
}

// WhoCan is the answer of Account.WhoCan.
type WhoCan struct {
	// Allowed are the principals allowed, sorted by ARN.
	Allowed []WhoCanEntry `json:"allowed"`
	// Undecided are principals that would be allowed but have unknown policy documents.
	Undecided []string `json:"undecided"`
}

// TrustedEntity is something a trust policy names, with the conditions that guard it.
type TrustedEntity struct {
	Kind       string          `json:"kind"`
	Value      string          `json:"value"`
	Account    string          `json:"account,omitempty"`
	InAccount  bool            `json:"inAccount"`
	Effect     string          `json:"effect"`
	Actions    []string        `json:"actions"`
	Statement  int             `json:"statement"`
	Sid        string          `json:"sid,omitempty"`
	Conditions json.RawMessage `json:"conditions"`
	ExternalID bool            `json:"externalId"`
	MFA        bool            `json:"mfa"`
	Org        bool            `json:"org"`
	Source     bool            `json:"source"`
}

// WhoCanAssume is the answer of Account.WhoCanAssume.
type WhoCanAssume struct {
	Role       string          `json:"role"`
	Principals []WhoCanEntry   `json:"principals"`
	Undecided  []string        `json:"undecided"`
	Trusted    []TrustedEntity `json:"trusted"`
}

// LoadIssue is a problem found while loading that did not stop the load.
type LoadIssue struct {
	Code    string `json:"code"`
	Entity  string `json:"entity"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Summary is an overview of the account.
type Summary struct {
	AccountID          string      `json:"accountId"`
	Partition          string      `json:"partition"`
	Users              int         `json:"users"`
	Groups             int         `json:"groups"`
	Roles              int         `json:"roles"`
	CustomerPolicies   int         `json:"customerPolicies"`
	AWSManagedPolicies int         `json:"awsManagedPolicies"`
	InstanceProfiles   int         `json:"instanceProfiles"`
	Administrators     []string    `json:"administrators"`
	Issues             []LoadIssue `json:"issues"`
}

// Summary returns counts, administrators (by evaluation) and load issues.
func (a *Account) Summary() (*Summary, error) {
	var s Summary
	return &s, a.query(wireQuery{Query: "summary"}, &s)
}

// Evaluate decides q for one principal (an ARN, "user/NAME", "role/NAME" or a unique name).
func (a *Account) Evaluate(principal string, q AccountQuery) (*AccountEvaluation, error) {
	var e AccountEvaluation
	return &e, a.query(wireQuery{Query: "evaluate", Principal: principal, AccountQuery: q}, &e)
}

// WhoCan lists every user and role allowed q's action on q's resource.
func (a *Account) WhoCan(q AccountQuery) (*WhoCan, error) {
	var w WhoCan
	return &w, a.query(wireQuery{Query: "whoCan", AccountQuery: q}, &w)
}

// WhoCanAssume lists who can become role, and what its trust policy names.
func (a *Account) WhoCanAssume(role string) (*WhoCanAssume, error) {
	var w WhoCanAssume
	return &w, a.query(wireQuery{Query: "whoCanAssume", Role: role}, &w)
}

// EffectivePermissions returns what principal may do, by service, as JSON (see tests/README.md).
func (a *Account) EffectivePermissions(principal string) (json.RawMessage, error) {
	b, err := marshal(wireQuery{Query: "permissions", Principal: principal})
	if err != nil {
		return nil, err
	}
	return a.QueryJSON(b)
}

// IsAdministrator reports whether principal is allowed "*" on "*" (by evaluation).
func (a *Account) IsAdministrator(principal string) (bool, error) {
	var r struct {
		Administrator bool `json:"administrator"`
	}
	err := a.query(wireQuery{Query: "isAdministrator", Principal: principal}, &r)
	return r.Administrator, err
}

// CredentialsReport describes an instance-metadata credential document, without its secrets.
type CredentialsReport struct {
	Code        string `json:"code"`
	Type        string `json:"type,omitempty"`
	AccessKeyID string `json:"accessKeyId"`
	// KeyKind is "longTerm" (AKIA), "temporary" (ASIA) or "unknown".
	KeyKind     string `json:"keyKind"`
	LastUpdated string `json:"lastUpdated,omitempty"`
	Expiration  string `json:"expiration"`
	Expired     bool   `json:"expired"`
}

// Credentials reads an EC2 instance-metadata credential document ({Code, LastUpdated, Type,
// AccessKeyId, SecretAccessKey, Token, Expiration}); asOf is an ISO 8601 date ("" for now).
func Credentials(document []byte, asOf string) (*CredentialsReport, error) {
	cd, err := cString(document)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cd))
	var ca *C.char
	if asOf != "" {
		if ca, err = cString([]byte(asOf)); err != nil {
			return nil, err
		}
		defer C.free(unsafe.Pointer(ca))
	}
	out, err := call(func(out, errJSON **C.char) C.enum_IamkitStatus {
		return C.iamkit_credentials_json(cd, ca, out, errJSON)
	})
	if err != nil {
		return nil, err
	}
	var r CredentialsReport
	if err := json.Unmarshal(out, &r); err != nil {
		return nil, internalError("cannot read iamkit's answer: %v", err)
	}
	return &r, nil
}
