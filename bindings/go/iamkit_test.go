package iamkit

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

func TestMain(m *testing.M) {
	// The panic-guard test makes Rust print a panic message; keep it to one short line.
	os.Setenv("RUST_BACKTRACE", "0")
	os.Exit(m.Run())
}

const (
	alice  = "arn:aws:iam::111122223333:user/alice"
	bucket = "arn:aws:s3:::example-bucket/key"
)

// identityPolicy allows s3:Get* and denies s3:Delete* (statement 1, without a Sid).
var identityPolicy = Document(`{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "ReadAll", "Effect": "Allow", "Action": "s3:Get*", "Resource": "*"},
    {"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"},
    {"Sid": "PutFromOffice", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*",
     "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}
  ]
}`)

func testPolicies() Policies {
	return Policies{Identity: []Document{identityPolicy}}
}

func req(action string) Request {
	return Request{Principal: alice, Action: action, Resource: bucket}
}

// evaluate decides r against p without a policy set.
func evaluate(r Request, p Policies) (*Evaluation, error) {
	return Evaluate(EvaluateInput{Request: r, Policies: &p})
}

func newSet(t testing.TB) *PolicySet {
	t.Helper()
	ps, err := NewPolicySet(testPolicies())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ps.Close() })
	return ps
}

// asError fails the test unless err is an *Error with the given code.
func asError(t testing.TB, err error, code ErrorCode) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want *Error %s, got %T %v", code, err, err)
	}
	if e.Code != code {
		t.Fatalf("want code %s, got %v", code, e)
	}
	return e
}

func step(s EvalStep) *EvalStep { return &s }
func u32(n uint32) *uint32      { return &n }
func str(s string) *string      { return &s }

// sameStatement compares matched statements by value (Sid is a pointer).
func sameStatement(a, b MatchedStatement) bool {
	sa, sb := "", ""
	if a.Sid != nil {
		sa = "=" + *a.Sid
	}
	if b.Sid != nil {
		sb = "=" + *b.Sid
	}
	a.Sid, b.Sid = nil, nil
	return a == b && sa == sb
}

// workspaceVersion reads [workspace.package] version from ../../Cargo.toml.
func workspaceVersion(t *testing.T) string {
	t.Helper()
	f, err := os.Open("../../Cargo.toml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			section = line
			continue
		}
		if section != "[workspace.package]" {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if ok && strings.TrimSpace(key) == "version" {
			return strings.Trim(strings.TrimSpace(value), `"`)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Fatal("no [workspace.package] version in ../../Cargo.toml")
	return ""
}

func TestVersion(t *testing.T) {
	want := workspaceVersion(t)
	if got := Version(); got != want {
		t.Fatalf("Version() = %q, workspace version is %q", got, want)
	}
	if ContractVersion != want {
		t.Fatalf("ContractVersion = %q, workspace version is %q", ContractVersion, want)
	}
}

func TestEvaluateAllowed(t *testing.T) {
	res, err := evaluate(req("s3:GetObject"), testPolicies())
	if err != nil {
		t.Fatal(err)
	}
	if !res.Allowed() || res.Decision != DecisionAllowed {
		t.Fatalf("want allowed, got %+v", res)
	}
	ex := res.Explain
	if ex.GrantedBy == nil || *ex.GrantedBy != EvalStepIdentity || ex.DeniedBy != nil || ex.Reason == "" {
		t.Fatalf("explanation: %+v", ex)
	}
	want := MatchedStatement{Step: EvalStepIdentity, Policy: "identity[0]", Statement: 0, Sid: str("ReadAll"), Effect: EffectAllow}
	if len(ex.Statements) != 1 || !sameStatement(ex.Statements[0], want) {
		t.Fatalf("statements: want [%+v], got %+v", want, ex.Statements)
	}
	if len(ex.Steps) == 0 || ex.Steps[len(ex.Steps)-1] != (StepResult{Step: EvalStepIdentity, Outcome: StepOutcomeNameAllow}) {
		t.Fatalf("steps: %+v", ex.Steps)
	}
}

func TestEvaluateExplicitDeny(t *testing.T) {
	res, err := evaluate(req("s3:DeleteObject"), testPolicies())
	if err != nil {
		t.Fatal(err)
	}
	if res.Allowed() || res.Decision != DecisionExplicitDeny {
		t.Fatalf("want explicitDeny, got %+v", res)
	}
	ex := res.Explain
	if ex.DeniedBy == nil || *ex.DeniedBy != EvalStepIdentity || ex.GrantedBy != nil || ex.Reason == "" {
		t.Fatalf("explanation: %+v", ex)
	}
	want := MatchedStatement{Step: EvalStepIdentity, Policy: "identity[0]", Statement: 1, Effect: EffectDeny}
	if len(ex.Statements) != 1 || !sameStatement(ex.Statements[0], want) {
		t.Fatalf("statements: want [%+v], got %+v", want, ex.Statements)
	}
	if len(ex.Steps) == 0 || ex.Steps[len(ex.Steps)-1].Outcome != StepOutcomeNameExplicitDeny {
		t.Fatalf("steps: %+v", ex.Steps)
	}
}

func TestEvaluateImplicitDeny(t *testing.T) {
	res, err := evaluate(req("s3:ListBucket"), testPolicies())
	if err != nil {
		t.Fatal(err)
	}
	if res.Allowed() || res.Decision != DecisionImplicitDeny || res.Explain.DeniedBy == nil || *res.Explain.DeniedBy != EvalStepIdentity {
		t.Fatalf("want implicitDeny by identity, got %+v", res)
	}
	if len(res.Explain.Statements) != 0 {
		t.Fatalf("statements: %+v", res.Explain.Statements)
	}
}

func TestEvaluateContext(t *testing.T) {
	r := req("s3:PutObject")
	for _, tc := range []struct {
		ip   any
		want Decision
	}{
		{nil, DecisionImplicitDeny},
		{"203.0.113.7", DecisionAllowed},
		{"198.51.100.1", DecisionImplicitDeny},
		{[]any{"198.51.100.1", "203.0.113.7"}, DecisionAllowed},
		{[]string{"203.0.113.7"}, DecisionAllowed},
	} {
		r.Context = nil
		if tc.ip != nil {
			r.Context = Context{"aws:SourceIp": tc.ip}
		}
		res, err := evaluate(r, testPolicies())
		if err != nil {
			t.Fatal(err)
		}
		if res.Decision != tc.want {
			t.Errorf("SourceIp %v: want %s, got %s (%s)", tc.ip, tc.want, res.Decision, res.Explain.Reason)
		}
	}
}

func TestEvaluateCrossAccountResourceAccount(t *testing.T) {
	r := req("s3:GetObject")
	r.ResourceAccount = "444455556666"
	res, err := evaluate(r, testPolicies())
	if err != nil {
		t.Fatal(err)
	}
	if res.Decision != DecisionImplicitDeny || res.Explain.DeniedBy == nil || *res.Explain.DeniedBy != EvalStepResource {
		t.Fatalf("cross-account without a resource policy: %+v", res)
	}
	p := testPolicies()
	p.Resource = Document(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
		"Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "*"}}`)
	if res, err = evaluate(r, p); err != nil || !res.Allowed() {
		t.Fatalf("cross-account with a resource policy: %+v, %v", res, err)
	}
}

func TestCallJSON(t *testing.T) {
	out, err := CallJSON("evaluate", []byte(`{"request": {"principal": "`+alice+`", "action": "s3:GetObject",
		"resource": "`+bucket+`"}, "policies": {"identity": [`+string(identityPolicy)+`]}}`))
	if err != nil {
		t.Fatal(err)
	}
	var res Evaluation
	if err := json.Unmarshal(out, &res); err != nil || !res.Allowed() {
		t.Fatalf("%s, %v", out, err)
	}
}

func TestCallJSONErrors(t *testing.T) {
	_, err := CallJSON("evaluate", []byte(`{"request": `))
	asError(t, err, ErrorCodeIAMInputJSON)
	_, err = CallJSON("evaluate", []byte(`{"request": {}, "policies": {}}`))
	asError(t, err, ErrorCodeIAMInputSchema)
	_, err = CallJSON("evaluate", []byte(`null`)) // JSON text: iamkit decides
	asError(t, err, ErrorCodeIAMInputSchema)
	_, err = CallJSON("noSuchCall", []byte(`{}`))
	asError(t, err, ErrorCodeIAMInvalidArgument)
	// A NUL byte cannot cross the C boundary: rejected, not truncated.
	_, err = CallJSON("evaluate", []byte("{\"request\": {}}\x00garbage"))
	asError(t, err, ErrorCodeIAMInvalidArgument)
	// Invalid UTF-8 is rejected by the C library.
	_, err = CallJSON("evaluate", []byte("{\"request\": \"\xff\"}"))
	asError(t, err, ErrorCodeIAMInvalidArgument)
}

func TestMalformedRequest(t *testing.T) {
	r := req("s3:GetObject")
	r.Principal = "alice"
	_, err := evaluate(r, testPolicies())
	if e := asError(t, err, ErrorCodeIAMRequestPrincipal); e.Message == "" {
		t.Fatalf("error: %+v", e)
	}
	ps := newSet(t)
	_, err = ps.Evaluate(r)
	asError(t, err, ErrorCodeIAMRequestPrincipal)
	_, err = ps.CallJSON("evaluate", []byte(`{"principal": "`+alice+`"}`))
	asError(t, err, ErrorCodeIAMInputSchema)
}

// badConditionPolicy has a NumericLessThan condition whose value is not a number.
var badConditionPolicy = Document(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Action": "s3:ListBucket", "Resource": "*",
  "Condition": {"NumericLessThan": {"s3:max-keys": "ten"}}}]}`)

func TestInvalidPolicy(t *testing.T) {
	p := Policies{Identity: []Document{identityPolicy, badConditionPolicy}}
	_, err := NewPolicySet(p)
	e := asError(t, err, ErrorCodeIAMPolicyConditionValue)
	if e.Location == nil || !strings.HasPrefix(e.Location.JSONPath, "$.identity[1].Statement[0].Condition") {
		t.Fatalf("error: %+v (location %+v)", e, e.Location)
	}
	if e.Location.Line == nil || *e.Location.Line < 1 || e.Location.Column == nil || *e.Location.Column < 1 {
		t.Fatalf("location: %+v", e.Location)
	}
	if !strings.Contains(e.Error(), "IAM_POLICY_CONDITION_VALUE") || !strings.Contains(e.Error(), e.Location.JSONPath) ||
		!strings.Contains(e.Error(), fmt.Sprintf("line %d, column %d)", *e.Location.Line, *e.Location.Column)) {
		t.Fatalf("Error(): %s", e.Error())
	}

	_, err = evaluate(req("s3:GetObject"), p)
	e = asError(t, err, ErrorCodeIAMPolicyConditionValue)
	if e.Location == nil || !strings.HasPrefix(e.Location.JSONPath, "$.policies.identity[1]") {
		t.Fatalf("location: %+v", e.Location)
	}
}

func TestErrorsAs(t *testing.T) {
	_, err := evaluate(Request{Principal: "nobody", Action: "s3:GetObject", Resource: "*"}, Policies{})
	wrapped := fmt.Errorf("checking access: %w", err)
	var e *Error
	if !errors.As(wrapped, &e) {
		t.Fatalf("errors.As failed on %v", wrapped)
	}
	if e.Code != ErrorCodeIAMRequestPrincipal {
		t.Fatalf("error: %+v", e)
	}
	if !strings.HasPrefix(wrapped.Error(), "checking access: iamkit: IAM_REQUEST_PRINCIPAL: ") {
		t.Fatalf("message: %s", wrapped)
	}
}

func TestErrorString(t *testing.T) {
	for _, tc := range []struct {
		e    *Error
		want string
	}{
		{&Error{Code: "IAM_X", Message: "m"}, "iamkit: IAM_X: m"},
		{&Error{Code: "IAM_X", Message: "m", Location: &Location{JSONPath: "$.a", Line: u32(2), Column: u32(3)}}, "iamkit: IAM_X: m (at $.a, line 2, column 3)"},
		{&Error{Code: "IAM_X", Message: "m", Location: &Location{JSONPath: "$.a", Line: u32(2)}}, "iamkit: IAM_X: m (at $.a, line 2)"},
		{&Error{Code: "IAM_X", Message: "m", Location: &Location{JSONPath: "$"}}, "iamkit: IAM_X: m (at $)"},
		{&Error{Code: "IAM_X"}, "iamkit: IAM_X"},
		{nil, "iamkit: <nil>"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestPolicySetReuse(t *testing.T) {
	ps := newSet(t)
	for i := 0; i < 3; i++ {
		for action, want := range map[string]Decision{
			"s3:GetObject":    DecisionAllowed,
			"s3:DeleteObject": DecisionExplicitDeny,
			"s3:ListBucket":   DecisionImplicitDeny,
		} {
			res, err := ps.Evaluate(req(action))
			if err != nil {
				t.Fatal(err)
			}
			d, err := ps.Decide(req(action))
			if err != nil {
				t.Fatal(err)
			}
			if res.Decision != want || d.Decision != want {
				t.Fatalf("%s: want %s, got %s and %s", action, want, res.Decision, d.Decision)
			}
		}
	}
	out, err := ps.CallJSON("decide", []byte(`{"principal": "`+alice+`", "action": "s3:GetObject", "resource": "*"}`))
	if err != nil || string(out) != `{"decision":"allowed"}` {
		t.Fatalf("%s, %v", out, err)
	}
}

func TestNewPolicySetJSON(t *testing.T) {
	ps, err := NewPolicySetJSON([]byte(`{"identity": [` + string(identityPolicy) + `], "session": null}`))
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close()
	if res, err := ps.Evaluate(req("s3:GetObject")); err != nil || !res.Allowed() {
		t.Fatalf("%+v, %v", res, err)
	}
	_, err = NewPolicySetJSON([]byte(`{"identity": [`))
	asError(t, err, ErrorCodeIAMInputJSON)
}

func TestOpen(t *testing.T) {
	h, err := Open("policySet", []byte(`{"identity": [`+string(identityPolicy)+`]}`))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if h.Kind() != "policySet" {
		t.Fatalf("kind %q", h.Kind())
	}
	out, err := h.CallJSON("decide", []byte(`{"principal": "`+alice+`", "action": "s3:DeleteObject", "resource": "*"}`))
	if err != nil || string(out) != `{"decision":"explicitDeny"}` {
		t.Fatalf("%s, %v", out, err)
	}
	_, err = h.CallJSON("whoCan", []byte(`{}`)) // an account's call
	asError(t, err, ErrorCodeIAMInvalidArgument)
	_, err = Open("nope", []byte(`{}`))
	asError(t, err, ErrorCodeIAMInvalidArgument)
	a, err := Open("account", []byte(`{"details": {}}`))
	if err != nil || a.Kind() != "account" {
		t.Fatalf("%v, %v", a, err)
	}
	a.Close()
}

func TestPolicySetConcurrent(t *testing.T) {
	ps := newSet(t)
	actions := []string{"s3:GetObject", "s3:DeleteObject", "s3:ListBucket"}
	want := []Decision{DecisionAllowed, DecisionExplicitDeny, DecisionImplicitDeny}
	const goroutines, rounds = 8, 200
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				k := (g + i) % len(actions)
				var got Decision
				if i%2 == 0 {
					res, err := ps.Evaluate(req(actions[k]))
					if err != nil {
						errs <- err
						return
					}
					got = res.Decision
				} else {
					res, err := ps.Decide(req(actions[k]))
					if err != nil {
						errs <- err
						return
					}
					got = res.Decision
				}
				if got != want[k] {
					errs <- fmt.Errorf("goroutine %d: %s: want %s, got %s", g, actions[k], want[k], got)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Close while goroutines evaluate: every call either answers or fails with IAM_INVALID_ARGUMENT
// (closed), and Close waits for the calls in progress.
func TestCloseWhileEvaluating(t *testing.T) {
	ps, err := NewPolicySet(testPolicies())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	started := make(chan struct{}, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				res, err := ps.Evaluate(req("s3:GetObject"))
				if i == 0 {
					started <- struct{}{}
				}
				if err != nil {
					var e *Error
					if !errors.As(err, &e) || e.Code != ErrorCodeIAMInvalidArgument || !strings.Contains(e.Message, "closed") {
						t.Errorf("unexpected error: %v", err)
					}
					return
				}
				if !res.Allowed() {
					t.Errorf("want allowed, got %+v", res)
					return
				}
			}
		}()
	}
	for g := 0; g < 8; g++ {
		<-started
	}
	ps.Close()
	wg.Wait()
}

func TestEvaluateBatch(t *testing.T) {
	ps := newSet(t)
	bad := req("s3:GetObject")
	bad.Principal = "bob"
	reqs := []Request{req("s3:GetObject"), bad, req("s3:DeleteObject"), req("s3:ListBucket")}
	res, err := ps.EvaluateBatch(EvaluateBatchInput{Requests: reqs})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(reqs) {
		t.Fatalf("want %d answers, got %d", len(reqs), len(res))
	}
	wantDecisions := []Decision{DecisionAllowed, "", DecisionExplicitDeny, DecisionImplicitDeny}
	for i, r := range res {
		if i == 1 {
			if r.Decision != nil || r.Error == nil {
				t.Fatalf("answer 1: want an error, got %+v", r)
			}
			var e *Error
			if err := error(r.Error); !errors.As(err, &e) || e.Code != ErrorCodeIAMRequestPrincipal ||
				e.Location == nil || !strings.HasPrefix(e.Location.JSONPath, "$.requests[1]") {
				t.Fatalf("answer 1: want IAM_REQUEST_PRINCIPAL at $.requests[1], got %v", r.Error)
			}
			continue
		}
		if r.Error != nil || r.Decision == nil || r.Explain == nil {
			t.Fatalf("answer %d: %+v", i, r)
		}
		if *r.Decision != wantDecisions[i] {
			t.Fatalf("answer %d: want %s, got %s", i, wantDecisions[i], *r.Decision)
		}
	}
	if g := res[0].Explain.Statements; len(g) != 1 || g[0].Sid == nil || *g[0].Sid != "ReadAll" {
		t.Fatalf("batch explanation: %+v", res[0].Explain)
	}

	// The batch answer agrees with single evaluations.
	for i, r := range reqs {
		single, err := ps.Evaluate(r)
		if i == 1 {
			asError(t, err, ErrorCodeIAMRequestPrincipal)
			continue
		}
		if err != nil || single.Decision != *res[i].Decision || single.Explain.Reason != res[i].Explain.Reason {
			t.Fatalf("request %d: single %+v (%v) vs batch %+v", i, single, err, res[i])
		}
	}

	empty, err := ps.EvaluateBatch(EvaluateBatchInput{Requests: []Request{}})
	if err != nil || len(empty) != 0 {
		t.Fatalf("empty batch: %v, %v", empty, err)
	}
}

func TestCloseTwice(t *testing.T) {
	ps, err := NewPolicySet(testPolicies())
	if err != nil {
		t.Fatal(err)
	}
	if err := ps.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ps.Close(); err != nil {
		t.Fatal(err)
	}
	var nilSet *PolicySet
	if err := nilSet.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestEvaluateAfterClose(t *testing.T) {
	ps, err := NewPolicySet(testPolicies())
	if err != nil {
		t.Fatal(err)
	}
	ps.Close()
	_, err = ps.Evaluate(req("s3:GetObject"))
	asError(t, err, ErrorCodeIAMInvalidArgument)
	_, err = ps.Decide(req("s3:GetObject"))
	asError(t, err, ErrorCodeIAMInvalidArgument)
	_, err = ps.CallJSON("evaluate", []byte(`{}`))
	asError(t, err, ErrorCodeIAMInvalidArgument)
	_, err = ps.EvaluateBatch(EvaluateBatchInput{Requests: []Request{req("s3:GetObject")}})
	asError(t, err, ErrorCodeIAMInvalidArgument)
}

func TestValidate(t *testing.T) {
	v, err := Validate(ValidateInput{Policy: identityPolicy})
	if err != nil {
		t.Fatal(err)
	}
	if !v.Valid || len(v.Diagnostics) != 0 {
		t.Fatalf("want valid, got %+v", v)
	}

	v, err = Validate(ValidateInput{Policy: badConditionPolicy, Type: PolicyTypeIdentity})
	if err != nil {
		t.Fatal(err)
	}
	if v.Valid || len(v.Diagnostics) == 0 {
		t.Fatalf("want invalid, got %+v", v)
	}
	d := v.Diagnostics[0]
	if d.Code != ErrorCodeIAMPolicyConditionValue || d.Severity != SeverityError || d.Message == "" ||
		!strings.HasPrefix(d.Location.JSONPath, "$.Statement[0].Condition") || d.Location.Line == nil {
		t.Fatalf("diagnostic: %+v", d)
	}

	// Given as text, the policy's diagnostics point at lines of the text (encoding/json writes a
	// Document compactly, on one line).
	for text, line := range map[string]uint32{string(badConditionPolicy): 3, "\n\n" + string(badConditionPolicy): 5} {
		v, err = Validate(ValidateInput{Policy: TextDocument([]byte(text))})
		if err != nil || v.Valid || v.Diagnostics[0].Location.Line == nil || *v.Diagnostics[0].Location.Line != line {
			t.Fatalf("text: want line %d, got %+v, %v", line, v, err)
		}
	}

	// A warning alone leaves the policy valid.
	v, err = Validate(ValidateInput{Policy: Document(`{"Version": "2012-10-17", "Statement": []}`)})
	if err != nil {
		t.Fatal(err)
	}
	if !v.Valid || len(v.Diagnostics) != 1 || v.Diagnostics[0].Code != ErrorCodeIAMPolicyEmpty || v.Diagnostics[0].Severity != SeverityWarning {
		t.Fatalf("empty policy: %+v", v)
	}

	// Principal is not allowed in an identity policy, but required in a resource policy.
	withPrincipal := Document(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}}`)
	if v, err = Validate(ValidateInput{Policy: withPrincipal, Type: PolicyTypeResource}); err != nil || !v.Valid {
		t.Fatalf("resource: %+v, %v", v, err)
	}
	if v, err = Validate(ValidateInput{Policy: withPrincipal, Type: PolicyTypeIdentity}); err != nil || v.Valid {
		t.Fatalf("identity: %+v, %v", v, err)
	}

	_, err = Validate(ValidateInput{Policy: identityPolicy, Type: "no-such-type"})
	asError(t, err, ErrorCodeIAMInputSchema)
}
