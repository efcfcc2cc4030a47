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

// PolicySet is a compiled, immutable set of policies, built once and evaluated against any
// number of requests. It is safe for concurrent use by many goroutines. Call Close to release
// it; a finalizer releases a forgotten set, but only when the garbage collector gets to it.
type PolicySet struct {
	mu sync.RWMutex // held for reading by calls on h, for writing by Close
	h  *C.IamkitPolicySet
}

// NewPolicySet compiles the given policies.
func NewPolicySet(p Policies) (*PolicySet, error) {
	b, err := marshal(p)
	if err != nil {
		return nil, err
	}
	return NewPolicySetJSON(b)
}

// NewPolicySetJSON compiles a policies object given as JSON: {"identity": [...],
// "resource": {...}, "permissionBoundaries": [...], "session": {...}, "scps": [[...]],
// "rcps": [[...]]}, every member optional.
func NewPolicySetJSON(policiesJSON []byte) (*PolicySet, error) {
	cs, err := cString(policiesJSON)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cs))
	var h *C.IamkitPolicySet
	if _, err := call(func(_, errJSON **C.char) C.enum_IamkitStatus {
		return C.iamkit_policy_set_new(cs, &h, errJSON)
	}); err != nil {
		return nil, err
	}
	if h == nil {
		return nil, internalError("iamkit_policy_set_new succeeded without a policy set")
	}
	ps := &PolicySet{h: h}
	runtime.SetFinalizer(ps, (*PolicySet).Close)
	return ps, nil
}

// Close releases the policy set. It waits for calls in progress, is idempotent, and always
// returns nil; later calls on the set return an *Error with Code "IAM_INVALID_ARGUMENT".
func (ps *PolicySet) Close() error {
	if ps == nil {
		return nil
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.h != nil {
		C.iamkit_policy_set_free(ps.h)
		ps.h = nil
		runtime.SetFinalizer(ps, nil)
	}
	return nil
}

// withHandle runs f with the live handle under the read lock, or fails when ps is closed.
func (ps *PolicySet) withHandle(f func(h *C.IamkitPolicySet) ([]byte, error)) ([]byte, error) {
	if ps == nil {
		return nil, invalidArgument("the PolicySet is nil")
	}
	ps.mu.RLock()
	defer ps.mu.RUnlock()
	if ps.h == nil {
		return nil, invalidArgument("the PolicySet is closed")
	}
	out, err := f(ps.h)
	runtime.KeepAlive(ps)
	return out, err
}

// Evaluate decides one request against the policy set.
func (ps *PolicySet) Evaluate(req Request) (*Result, error) {
	b, err := marshal(req)
	if err != nil {
		return nil, err
	}
	return ps.EvaluateJSON(b)
}

// EvaluateJSON decides one request given as JSON: {"principal", "action", "resource",
// "resourceAccount"?, "context"?}.
func (ps *PolicySet) EvaluateJSON(requestJSON []byte) (*Result, error) {
	cs, err := cString(requestJSON)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cs))
	out, err := ps.withHandle(func(h *C.IamkitPolicySet) ([]byte, error) {
		return call(func(out, errJSON **C.char) C.enum_IamkitStatus {
			return C.iamkit_policy_set_evaluate_json(h, cs, out, errJSON)
		})
	})
	if err != nil {
		return nil, err
	}
	return decodeResult(out)
}

// batchItem is one element of the C batch answer: {"decision", "explain"} or {"error"}.
type batchItem struct {
	Decision string      `json:"decision"`
	Explain  Explanation `json:"explain"`
	Error    *wireError  `json:"error"`
}

// EvaluateBatch decides many requests in one call. The result holds one BatchResult per
// request, in order; a request iamkit rejects (a malformed principal, say) gets an Err and
// does not fail the batch. The returned error is for the batch as a whole (a closed set, or
// input iamkit cannot read at all).
func (ps *PolicySet) EvaluateBatch(reqs []Request) ([]BatchResult, error) {
	if reqs == nil {
		reqs = []Request{}
	}
	b, err := marshal(reqs)
	if err != nil {
		return nil, err
	}
	cs, err := cString(b)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cs))
	out, err := ps.withHandle(func(h *C.IamkitPolicySet) ([]byte, error) {
		return call(func(out, errJSON **C.char) C.enum_IamkitStatus {
			return C.iamkit_policy_set_evaluate_batch_json(h, cs, out, errJSON)
		})
	})
	if err != nil {
		return nil, err
	}
	var items []batchItem
	if err := json.Unmarshal(out, &items); err != nil {
		return nil, internalError("cannot read the iamkit batch answer: %v", err)
	}
	if len(items) != len(reqs) {
		return nil, internalError("iamkit answered %d results for %d requests", len(items), len(reqs))
	}
	res := make([]BatchResult, len(items))
	for i := range items {
		it := &items[i]
		if it.Error != nil {
			res[i].Err = it.Error.toError(statusForCode(it.Error.Code))
			continue
		}
		res[i].Result = &Result{Decision: it.Decision, Explain: it.Explain}
	}
	return res, nil
}
