package iamkit

/*
#include <stdlib.h>
#include "iamkit.h"
*/
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

// handle owns one IamkitHandle. Calls hold mu for reading (the C handle is safe for concurrent
// use), Close holds it for writing: it waits for calls in progress, and later calls fail. A
// finalizer frees a handle nobody closed, when the garbage collector gets to it.
type handle struct {
	mu   sync.RWMutex
	ptr  *C.IamkitHandle // nil once closed
	kind string
}

// open opens a handle of kind ("policySet", "account", "organization") from its input, given as
// JSON text.
func open(kind string, input []byte) (*handle, error) {
	if input == nil {
		return nil, errNilInput()
	}
	ck, err := cString("handle kind", []byte(kind))
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(ck))
	ci, err := cString("input", input)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(ci))
	var ptr *C.IamkitHandle
	var errJSON *C.char
	st := C.iamkit_open(ck, ci, &ptr, &errJSON)
	failure := takeBytes(errJSON)
	if st != C.IAMKIT_STATUS_OK {
		return nil, readError(failure)
	}
	if ptr == nil {
		return nil, internalError("iamkit_open succeeded without a handle")
	}
	h := &handle{ptr: ptr, kind: C.GoString(C.iamkit_handle_kind(ptr))}
	runtime.SetFinalizer(h, (*handle).close)
	return h, nil
}

// close frees the C handle once; it waits for calls in progress.
func (h *handle) close() {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ptr != nil {
		C.iamkit_handle_free(h.ptr)
		h.ptr = nil
		runtime.SetFinalizer(h, nil)
	}
}

// callJSON answers the call name on the handle, given its input as JSON text.
func (h *handle) callJSON(name string, input []byte) ([]byte, error) {
	if h == nil {
		return nil, invalidArgument("the handle is nil")
	}
	if input == nil {
		return nil, errNilInput()
	}
	cn, err := cString("call name", []byte(name))
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cn))
	ci, err := cString("input", input)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(ci))
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.ptr == nil {
		return nil, invalidArgument("the %s handle is closed", h.kind)
	}
	var out, errJSON *C.char
	st := C.iamkit_handle_call(h.ptr, cn, ci, &out, &errJSON)
	runtime.KeepAlive(h)
	return outcome(st, out, errJSON)
}

// handleCall answers a call on a handle: in is encoded (see encode), the answer decoded into T.
func handleCall[T any](h *handle, name string, in any) (*T, error) {
	if h == nil {
		return nil, invalidArgument("the handle is nil")
	}
	b, err := encode(in)
	if err != nil {
		return nil, err
	}
	answer, err := h.callJSON(name, b)
	if err != nil {
		return nil, err
	}
	return decode[T](answer)
}

// Handle is an open handle of any kind, for callers that speak JSON text (runners, other
// bindings' tests). It is safe for concurrent use by many goroutines.
type Handle struct{ h *handle }

// Open opens a handle of kind ("policySet": input is a Policies object; "account": an
// AccountOpenInput object; "organization": an OrgOpenInput object), given as JSON text. Close it
// when done.
func Open(kind string, input []byte) (*Handle, error) {
	h, err := open(kind, input)
	if err != nil {
		return nil, err
	}
	return &Handle{h}, nil
}

func (x *Handle) handle() *handle {
	if x == nil {
		return nil
	}
	return x.h
}

// Kind returns the handle's kind ("policySet", "account" or "organization"; "" for a nil Handle).
func (x *Handle) Kind() string {
	if h := x.handle(); h != nil {
		return h.kind
	}
	return ""
}

// CallJSON answers the call name on the handle, given its input object as JSON text, and returns
// the answer as JSON text.
func (x *Handle) CallJSON(name string, input []byte) ([]byte, error) {
	return x.handle().callJSON(name, input)
}

// Close releases the handle. It waits for calls in progress, may be called more than once, and
// returns nil; later calls return an *Error with code IAM_INVALID_ARGUMENT.
func (x *Handle) Close() error {
	x.handle().close()
	return nil
}

// PolicySet is a compiled, immutable set of policies (a handle of kind "policySet"), evaluated
// against any number of requests by Evaluate, Decide and EvaluateBatch. It is safe for concurrent
// use by many goroutines. Call Close to release it.
type PolicySet struct{ h *handle }

// NewPolicySet compiles policies.
func NewPolicySet(policies Policies) (*PolicySet, error) {
	b, err := encode(policies)
	if err != nil {
		return nil, err
	}
	return NewPolicySetJSON(b)
}

// NewPolicySetJSON compiles a Policies object given as JSON text: {"identity": [...], "resource":
// {...}, "permissionBoundaries": [...], "session": {...}, "scps": [[...]], "rcps": [[...]],
// "vpcEndpoint": [...]}, every member optional.
func NewPolicySetJSON(policies []byte) (*PolicySet, error) {
	h, err := open("policySet", policies)
	if err != nil {
		return nil, err
	}
	return &PolicySet{h}, nil
}

func (s *PolicySet) handle() *handle {
	if s == nil {
		return nil
	}
	return s.h
}

// CallJSON answers the call name ("evaluate", "decide", "evaluateBatch") on the policy set, given
// its input object as JSON text, and returns the answer as JSON text.
func (s *PolicySet) CallJSON(name string, input []byte) ([]byte, error) {
	return s.handle().callJSON(name, input)
}

// Close releases the policy set. It waits for calls in progress, may be called more than once,
// and returns nil; later calls return an *Error with code IAM_INVALID_ARGUMENT.
func (s *PolicySet) Close() error {
	s.handle().close()
	return nil
}

// Account is one AWS account loaded from `aws iam get-account-authorization-details` output (a
// handle of kind "account"): users, groups, roles and policies, compiled once and asked any number
// of questions (Summary, Principals, Evaluate, WhoCan, WhoCanAssume, Permissions,
// IsAdministrator). It is safe for concurrent use by many goroutines. Call Close to release it.
type Account struct{ h *handle }

// NewAccount loads an account.
func NewAccount(in AccountOpenInput) (*Account, error) {
	b, err := encode(in)
	if err != nil {
		return nil, err
	}
	h, err := open("account", b)
	if err != nil {
		return nil, err
	}
	return &Account{h}, nil
}

// NewAccountJSON loads an account from files' contents: details is the text of the authorization
// details (one page, an array of pages, or pages written one after another, as the AWS CLI writes
// them); managedPolicyDocuments (ARN to document) and credentialReport (CSV, or the
// GetCredentialReport envelope) may be nil. The texts go to iamkit as TextDocuments.
func NewAccountJSON(details []byte, managedPolicyDocuments map[string]Document, credentialReport []byte) (*Account, error) {
	if details == nil {
		return nil, invalidArgument("the details are nil")
	}
	in := AccountOpenInput{Details: TextDocument(details), ManagedPolicyDocuments: managedPolicyDocuments}
	if credentialReport != nil {
		in.CredentialReport = TextDocument(credentialReport)
	}
	return NewAccount(in)
}

func (a *Account) handle() *handle {
	if a == nil {
		return nil
	}
	return a.h
}

// CallJSON answers the call name ("summary", "whoCan", ...) on the account, given its input object
// as JSON text, and returns the answer as JSON text.
func (a *Account) CallJSON(name string, input []byte) ([]byte, error) {
	return a.handle().callJSON(name, input)
}

// Close releases the account. It waits for calls in progress, may be called more than once, and
// returns nil; later calls return an *Error with code IAM_INVALID_ARGUMENT.
func (a *Account) Close() error {
	a.handle().close()
	return nil
}

// Organization is an AWS Organization read from a folder (a handle of kind "organization";
// scripts/collect-org.sh fills it): its tree, SCPs and RCPs are read once, each account's folder
// when a call asks about it. Every call (Members, Summary, Audit, WhoCan, Escalations, Assume)
// answers each account with its own SCPs and RCPs, an account that cannot be read as a line with
// Error set. It is safe for concurrent use by many goroutines. Call Close to release it.
type Organization struct{ h *handle }

// OpenOrganization reads the organization folder at path (an *Error with code IAM_IO or
// IAM_ORG_DATA when its tree cannot be read).
func OpenOrganization(path string) (*Organization, error) {
	b, err := encode(OrgOpenInput{Path: path})
	if err != nil {
		return nil, err
	}
	h, err := open("organization", b)
	if err != nil {
		return nil, err
	}
	return &Organization{h}, nil
}

func (o *Organization) handle() *handle {
	if o == nil {
		return nil
	}
	return o.h
}

// CallJSON answers the call name ("summary", "audit", ...) on the organization, given its input
// object as JSON text, and returns the answer as JSON text.
func (o *Organization) CallJSON(name string, input []byte) ([]byte, error) {
	return o.handle().callJSON(name, input)
}

// Close releases the organization. It waits for calls in progress, may be called more than once,
// and returns nil; later calls return an *Error with code IAM_INVALID_ARGUMENT.
func (o *Organization) Close() error {
	o.handle().close()
	return nil
}
