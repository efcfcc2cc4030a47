// Package iamkit evaluates AWS IAM policies with the iamkit engine, through its C library.
//
// Every function speaks the iamkit wire JSON underneath. Errors are *Error values carrying a
// stable Code (see tests/README.md); use errors.As to inspect them. A denied request is not an
// error: it is a Result whose Decision is "explicitDeny" or "implicitDeny".
package iamkit

/*
#cgo CFLAGS: -I${SRCDIR}/../../include
#cgo LDFLAGS: -L${SRCDIR}/../../target/release -liamkit -Wl,-rpath,${SRCDIR}/../../target/release
#include <stdlib.h>
#include <string.h>
#include "iamkit.h"
*/
import "C"

import (
	"bytes"
	"encoding/json"
	"unsafe"
)

// Version returns the version of the iamkit library, e.g. "0.1.0".
func Version() string {
	return C.GoString(C.iamkit_version())
}

// cString copies b into a new C string, to be released with C.free. Text holding a NUL byte
// cannot cross the C boundary and is rejected.
func cString(b []byte) (*C.char, error) {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return nil, invalidArgument("the input holds a NUL byte at offset %d", i)
	}
	return C.CString(string(b)), nil
}

// takeBytes copies a string returned by iamkit into Go memory and frees it.
func takeBytes(p *C.char) []byte {
	if p == nil {
		return nil
	}
	b := C.GoBytes(unsafe.Pointer(p), C.int(C.strlen(p)))
	C.iamkit_string_free(p)
	return b
}

// call runs one fallible C call, frees every string it returned, and turns a failure into an
// *Error. On success it returns the output JSON (nil when the call has no string output).
func call(f func(out, errJSON **C.char) C.enum_IamkitStatus) ([]byte, error) {
	var out, errJSON *C.char
	st := f(&out, &errJSON)
	outBytes := takeBytes(out)
	errBytes := takeBytes(errJSON)
	if st == C.IAMKIT_STATUS_OK {
		return outBytes, nil
	}
	return nil, statusError(int(st), errBytes)
}

// statusError builds the *Error for a failed call from its status and error JSON.
func statusError(status int, errJSON []byte) *Error {
	if len(errJSON) == 0 {
		e := internalError("iamkit returned status %d without an error", status)
		e.Status = status
		return e
	}
	var w wireError
	if err := json.Unmarshal(errJSON, &w); err != nil || w.Code == "" {
		e := internalError("iamkit returned an unreadable error (status %d): %s", status, errJSON)
		e.Status = status
		return e
	}
	return w.toError(status)
}

// marshal encodes a Go value for iamkit; a value encoding/json rejects (an invalid
// json.RawMessage, an unsupported context value) is an invalid argument.
func marshal(v interface{}) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, invalidArgument("cannot encode the input as JSON: %v", err)
	}
	return b, nil
}

// decodeResult reads a {"decision", "explain"} answer.
func decodeResult(b []byte) (*Result, error) {
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, internalError("cannot read the iamkit answer: %v", err)
	}
	return &r, nil
}

type evalCase struct {
	Request  Request  `json:"request"`
	Policies Policies `json:"policies"`
}

// Evaluate decides one request against the given policies. Compile the policies once with
// NewPolicySet to evaluate many requests.
func Evaluate(req Request, policies Policies) (*Result, error) {
	b, err := marshal(evalCase{Request: req, Policies: policies})
	if err != nil {
		return nil, err
	}
	return EvaluateJSON(b)
}

// EvaluateJSON decides one case given as JSON, {"request": {...}, "policies": {...}}.
func EvaluateJSON(caseJSON []byte) (*Result, error) {
	cs, err := cString(caseJSON)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cs))
	out, err := call(func(out, errJSON **C.char) C.enum_IamkitStatus {
		return C.iamkit_evaluate_json(cs, out, errJSON)
	})
	if err != nil {
		return nil, err
	}
	return decodeResult(out)
}

// ValidatePolicy checks a policy document (JSON text) as policyType: "identity", "resource",
// "trust", "scp", "rcp", "boundary" or "session". An invalid policy is not an error: the
// Validation says Valid false and lists the diagnostics. Errors are reserved for unusable
// arguments, such as an unknown policy type.
func ValidatePolicy(policy []byte, policyType string) (*Validation, error) {
	cp, err := cString(policy)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cp))
	ct, err := cString([]byte(policyType))
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(ct))
	out, err := call(func(out, errJSON **C.char) C.enum_IamkitStatus {
		return C.iamkit_policy_validate_json(cp, ct, out, errJSON)
	})
	if err != nil {
		return nil, err
	}
	var v Validation
	if err := json.Unmarshal(out, &v); err != nil {
		return nil, internalError("cannot read the iamkit answer: %v", err)
	}
	return &v, nil
}
