package iamkit

import (
	"encoding/json"
	"math"
	"testing"
)

// Every Go-side mistake (a NUL byte, text that is not UTF-8, a value encoding/json cannot encode,
// a closed handle, a nil pointer) is an *Error with code IAM_INVALID_ARGUMENT, never a panic.
func TestInvalidArgumentSweep(t *testing.T) {
	closedSet, err := NewPolicySet(testPolicies())
	if err != nil {
		t.Fatal(err)
	}
	closedSet.Close()
	closedAccount, err := NewAccount(AccountOpenInput{Details: Document(`{}`)})
	if err != nil {
		t.Fatal(err)
	}
	closedAccount.Close()
	closedHandle, err := Open("policySet", []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	closedHandle.Close()
	ps := newSet(t)
	cycle := map[string]any{}
	cycle["self"] = cycle
	withContext := func(v any) Request {
		r := req("s3:GetObject")
		r.Context = Context{"aws:SourceIp": v}
		return r
	}
	evalContext := func(v any) error { _, err := ps.Evaluate(withContext(v)); return err }
	var nilSet *PolicySet
	var nilAccount *Account
	var nilHandle *Handle

	for name, f := range map[string]func() error{
		// NUL bytes cannot cross the C boundary
		"NUL in CallJSON input": func() error { _, err := CallJSON("validate", []byte("{\"policy\": {}}\x00")); return err },
		"NUL in a call name":    func() error { _, err := CallJSON("validate\x00", []byte(`{"policy": {}}`)); return err },
		"NUL in a handle kind":  func() error { _, err := Open("policySet\x00", []byte(`{}`)); return err },
		"NUL in Open input":     func() error { _, err := Open("policySet", []byte("{}\x00")); return err },
		"NUL in policies text":  func() error { _, err := NewPolicySetJSON([]byte("{\x00}")); return err },
		"NUL in a handle call":  func() error { _, err := ps.CallJSON("evaluate", []byte("\x00")); return err },
		"NUL in a handle call name": func() error {
			_, err := ps.CallJSON("evaluate\x00", []byte(`{}`))
			return err
		},
		// text that is not UTF-8: refused, never read with replacement characters
		"invalid UTF-8 in JSON text": func() error { _, err := CallJSON("validate", []byte("{\"policy\": \"\xff\"}")); return err },
		"invalid UTF-8 in a call name": func() error {
			_, err := CallJSON("validate\xff", []byte(`{"policy": {}}`))
			return err
		},
		"invalid UTF-8 in a kind": func() error { _, err := Open("policy\xffSet", []byte(`{}`)); return err },
		"invalid UTF-8 in a string field": func() error {
			r := req("s3:GetObject")
			r.Principal = "arn:aws:iam::111122223333:user/\xff"
			_, err := ps.Evaluate(r)
			return err
		},
		"invalid UTF-8 in a context key": func() error {
			r := req("s3:GetObject")
			r.Context = Context{"aws:\xfe": "x"}
			_, err := Evaluate(EvaluateInput{Request: r})
			return err
		},
		"invalid UTF-8 in a context list":  func() error { return evalContext([]any{"203.0.113.7", "\xc3"}) },
		"invalid UTF-8 in a []string":      func() error { return evalContext([]string{"\xed\xa0\x80"}) }, // a lone surrogate
		"invalid UTF-8 in a TextDocument":  func() error { _, err := Validate(ValidateInput{Policy: TextDocument([]byte("{\xff}"))}); return err },
		"invalid UTF-8 in account details": func() error { _, err := NewAccountJSON([]byte("{\"x\": \"\xff\"}"), nil, nil); return err },
		"invalid UTF-8 in a batch": func() error {
			r := req("s3:GetObject")
			r.Action = "s3:\xffGetObject"
			_, err := ps.EvaluateBatch(EvaluateBatchInput{Requests: []Request{req("s3:GetObject"), r}})
			return err
		},
		// values encoding/json cannot encode
		"a channel":               func() error { return evalContext(make(chan int)) },
		"a func":                  func() error { return evalContext(func() {}) },
		"NaN":                     func() error { return evalContext(math.NaN()) },
		"+Inf":                    func() error { return evalContext([]any{math.Inf(1)}) },
		"a complex number":        func() error { return evalContext(complex(1, 2)) },
		"a cycle":                 func() error { return evalContext(cycle) },
		"an invalid RawMessage":   func() error { _, err := NewPolicySet(Policies{Identity: []Document{Document(`{bad`)}}); return err },
		"an invalid account text": func() error { _, err := NewAccount(AccountOpenInput{Details: json.RawMessage(`{`)}); return err },
		// closed handles
		"a closed policy set, Evaluate": func() error { _, err := closedSet.Evaluate(req("s3:GetObject")); return err },
		"a closed policy set, Decide":   func() error { _, err := closedSet.Decide(req("s3:GetObject")); return err },
		"a closed policy set, batch": func() error {
			_, err := closedSet.EvaluateBatch(EvaluateBatchInput{Requests: []Request{}})
			return err
		},
		"a closed policy set, CallJSON": func() error { _, err := closedSet.CallJSON("decide", []byte(`{}`)); return err },
		"a closed account":              func() error { _, err := closedAccount.Summary(); return err },
		"a closed account, CallJSON":    func() error { _, err := closedAccount.CallJSON("summary", []byte(`{}`)); return err },
		"a closed handle":               func() error { _, err := closedHandle.CallJSON("decide", []byte(`{}`)); return err },
		// nil pointers
		"a nil *PolicySet, Evaluate": func() error { _, err := nilSet.Evaluate(req("s3:GetObject")); return err },
		"a nil *PolicySet, batch": func() error {
			_, err := nilSet.EvaluateBatch(EvaluateBatchInput{Requests: []Request{}})
			return err
		},
		"a nil *PolicySet, CallJSON": func() error { _, err := nilSet.CallJSON("decide", []byte(`{}`)); return err },
		"a nil *Account":             func() error { _, err := nilAccount.Summary(); return err },
		"a nil *Account, WhoCan":     func() error { _, err := nilAccount.WhoCan(WhoCanInput{}); return err },
		"a nil *Handle":              func() error { _, err := nilHandle.CallJSON("decide", []byte(`{}`)); return err },
		"nil JSON text":              func() error { _, err := CallJSON("validate", nil); return err },
		"nil Open input":             func() error { _, err := Open("policySet", nil); return err },
		"nil policies text":          func() error { _, err := NewPolicySetJSON(nil); return err },
		"nil account details":        func() error { _, err := NewAccountJSON(nil, nil, nil); return err },
		"nil handle call input":      func() error { _, err := ps.CallJSON("decide", nil); return err },
		"a nil input":                func() error { _, err := call[Validation]("validate", nil); return err },
		"a nil *ValidateInput":       func() error { _, err := call[Validation]("validate", (*ValidateInput)(nil)); return err },
		"a nil map input":            func() error { _, err := handleCall[Decided](ps.h, "decide", map[string]any(nil)); return err },
		"a nil handle":               func() error { _, err := handleCall[Decided](nil, "decide", Request{}); return err },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("panic: %v", p)
				}
			}()
			e := asError(t, f(), ErrorCodeIAMInvalidArgument)
			if e.Message == "" {
				t.Fatalf("no message: %+v", e)
			}
		})
	}

	// Closing nil or closed handles is harmless.
	for _, c := range []interface{ Close() error }{nilSet, nilAccount, nilHandle, closedSet, closedAccount, closedHandle} {
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if nilHandle.Kind() != "" {
		t.Fatal("a nil Handle has a kind")
	}
}

// A U+FFFD that is really in the input, or the text \ufffd, is not taken for invalid UTF-8.
func TestReplacementCharacterIsNotInvalid(t *testing.T) {
	for _, principal := range []string{"arn:aws:iam::111122223333:user/\ufffd", `arn:aws:iam::111122223333:user/\ufffd`} {
		r := req("s3:GetObject")
		r.Context = Context{"note": principal}
		if res, err := evaluate(r, testPolicies()); err != nil || !res.Allowed() {
			t.Fatalf("%q: %+v %v", principal, res, err)
		}
	}
	doc := Document(`{"Version": "2012-10-17", "Statement": {"Sid": "A\ufffd", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}`)
	if v, err := Validate(ValidateInput{Policy: doc}); err != nil || v.Diagnostics[0].Code != ErrorCodeIAMPolicySid {
		t.Fatalf("%+v %v", v, err)
	}
}
