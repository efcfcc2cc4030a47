package iamkit

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Status numbers of the C API (IamkitStatus), as carried in Error.Status.
const (
	// StatusInvalidArgument means a required pointer was NULL, a string was not UTF-8 or held a NUL
	// byte, or a closed PolicySet was used.
	StatusInvalidArgument = 1
	// StatusInput means iamkit rejected the input (bad JSON, an invalid policy, a malformed request).
	StatusInput = 2
	// StatusInternal means a bug in iamkit (a caught panic) or an answer the binding could not read.
	StatusInternal = 3
)

// Location points at the part of the input an error or diagnostic is about.
type Location struct {
	// JSONPath is the JSON path of the element, e.g. "$.Statement[0].Condition".
	JSONPath string `json:"jsonPath"`
	// Line is the 1-based line in the JSON text, or 0 when unknown.
	Line int `json:"line"`
	// Column is the column in the JSON text, or 0 when unknown.
	Column int `json:"column"`
}

// Error is an error reported by iamkit. Every error returned by this package is an *Error;
// use errors.As to get at it.
type Error struct {
	// Status is the IamkitStatus number: 1 invalid argument, 2 input, 3 internal.
	Status int
	// Code is the stable error code, e.g. "IAM_POLICY_CONDITION_VALUE".
	Code string
	// Message is the human-readable description.
	Message string
	// Location is where in the input the error is, or nil.
	Location *Location
}

// Error formats the error as "iamkit: CODE: message (at PATH, line L, column C)".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("iamkit: ")
	b.WriteString(e.Code)
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if l := e.Location; l != nil {
		switch {
		case l.JSONPath != "" && l.Line > 0:
			fmt.Fprintf(&b, " (at %s, line %d, column %d)", l.JSONPath, l.Line, l.Column)
		case l.JSONPath != "":
			fmt.Fprintf(&b, " (at %s)", l.JSONPath)
		case l.Line > 0:
			fmt.Fprintf(&b, " (at line %d, column %d)", l.Line, l.Column)
		}
	}
	return b.String()
}

// wireError is the error JSON of the C API.
type wireError struct {
	Code     string    `json:"code"`
	Message  string    `json:"message"`
	Location *Location `json:"location"`
}

func (w *wireError) toError(status int) *Error {
	return &Error{Status: status, Code: w.Code, Message: w.Message, Location: w.Location}
}

// statusForCode gives the status of an error that arrived without one (a batch item).
func statusForCode(code string) int {
	switch code {
	case "IAM_INVALID_ARGUMENT":
		return StatusInvalidArgument
	case "IAM_INTERNAL":
		return StatusInternal
	default:
		return StatusInput
	}
}

func invalidArgument(format string, args ...interface{}) *Error {
	return &Error{Status: StatusInvalidArgument, Code: "IAM_INVALID_ARGUMENT", Message: fmt.Sprintf(format, args...)}
}

func internalError(format string, args ...interface{}) *Error {
	return &Error{Status: StatusInternal, Code: "IAM_INTERNAL", Message: fmt.Sprintf(format, args...)}
}

// Result is the answer to one request.
type Result struct {
	// Decision is "allowed", "explicitDeny" or "implicitDeny".
	Decision string `json:"decision"`
	// Explain says which step and statements produced the decision.
	Explain Explanation `json:"explain"`
}

// Allowed reports whether the decision is "allowed".
func (r *Result) Allowed() bool { return r != nil && r.Decision == "allowed" }

// Explanation tells why a decision was made.
type Explanation struct {
	// DeniedBy names the step that denied ("scp", "rcp", "resource", "identity", "boundary",
	// "session"); empty when allowed.
	DeniedBy string `json:"deniedBy,omitempty"`
	// GrantedBy names the step that granted access; empty when denied.
	GrantedBy string `json:"grantedBy,omitempty"`
	// Reason is a one-line, human-readable summary.
	Reason string `json:"reason,omitempty"`
	// Statements lists the statements that decided.
	Statements []MatchedStatement `json:"statements"`
	// Steps lists the outcome of each evaluation step that ran.
	Steps []StepResult `json:"steps"`
}

// MatchedStatement is one policy statement that took part in a decision.
type MatchedStatement struct {
	// Step is the evaluation step of the policy ("identity", "scp", ...).
	Step string `json:"step"`
	// Policy names the policy within the case, e.g. "identity[0]".
	Policy string `json:"policy"`
	// Statement is the 0-based index of the statement in the policy.
	Statement int `json:"statement"`
	// Sid is the statement's Sid, if any.
	Sid string `json:"sid,omitempty"`
	// Effect is "Allow" or "Deny".
	Effect string `json:"effect"`
	// Indeterminate is true when the statement's condition could not be decided (a Deny that
	// applies because it fails closed).
	Indeterminate bool `json:"indeterminate,omitempty"`
}

// StepResult is the outcome of one evaluation step.
type StepResult struct {
	// Step is the step name ("scp", "rcp", "resource", "identity", "boundary", "session").
	Step string `json:"step"`
	// Outcome is the step's outcome, e.g. "allow", "explicitDeny", "implicitDeny".
	Outcome string `json:"outcome"`
}

// Request is one request to evaluate.
type Request struct {
	// Principal is the caller: an IAM user, root, role or session ARN, a service principal, an
	// identity provider, or "anonymous".
	Principal string `json:"principal"`
	// Action is "service:Action".
	Action string `json:"action"`
	// Resource is an ARN, or "*".
	Resource string `json:"resource"`
	// ResourceAccount is the resource's account id, when the ARN does not name it.
	ResourceAccount string `json:"resourceAccount,omitempty"`
	// Context maps condition keys to a string, number or boolean, or a slice of them.
	Context map[string]interface{} `json:"context,omitempty"`
}

// Policies are the policies that apply to a request. Every document is a JSON object (or a
// JSON string holding one).
type Policies struct {
	// Identity holds the principal's identity-based policies.
	Identity []json.RawMessage `json:"identity,omitempty"`
	// Resource is the resource-based policy (a trust policy, a key policy).
	Resource json.RawMessage `json:"resource,omitempty"`
	// PermissionBoundaries holds the principal's permissions boundary documents.
	PermissionBoundaries []json.RawMessage `json:"permissionBoundaries,omitempty"`
	// Session is the session policy.
	Session json.RawMessage `json:"session,omitempty"`
	// SCPs holds the service control policies, one list of documents per level, root first.
	SCPs [][]json.RawMessage `json:"scps,omitempty"`
	// RCPs holds the resource control policies, one list of documents per level, root first.
	RCPs [][]json.RawMessage `json:"rcps,omitempty"`
}

// BatchResult is the answer to one request of a batch: either Result or Err is set.
type BatchResult struct {
	// Result is the answer, when the request could be evaluated.
	Result *Result
	// Err is the error for this request (Status derived from the code, usually 2).
	Err *Error
}

// Validation is the result of validating a policy document.
type Validation struct {
	// Valid is true when no diagnostic has severity "error".
	Valid bool `json:"valid"`
	// Diagnostics lists every error and warning found.
	Diagnostics []Diagnostic `json:"diagnostics"`
}

// Diagnostic is one finding about a policy document.
type Diagnostic struct {
	// Code is the stable code, e.g. "IAM_POLICY_SID".
	Code string `json:"code"`
	// Severity is "error" or "warning".
	Severity string `json:"severity"`
	// Message is the human-readable description.
	Message string `json:"message"`
	// Location is where in the document the finding is.
	Location Location `json:"location"`
}
