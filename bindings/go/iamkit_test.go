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
var identityPolicy = json.RawMessage(`{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "ReadAll", "Effect": "Allow", "Action": "s3:Get*", "Resource": "*"},
    {"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"},
    {"Sid": "PutFromOffice", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*",
     "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}
  ]
}`)

func testPolicies() Policies {
	return Policies{Identity: []json.RawMessage{identityPolicy}}
}

func req(action string) Request {
	return Request{Principal: alice, Action: action, Resource: bucket}
}

// asError fails the test unless err is an *Error with the given code.
func asError(t *testing.T, err error, code string) *Error {
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
}

func TestEvaluateAllowed(t *testing.T) {
	res, err := Evaluate(req("s3:GetObject"), testPolicies())
	if err != nil {
		t.Fatal(err)
	}
	if !res.Allowed() || res.Decision != "allowed" {
		t.Fatalf("want allowed, got %+v", res)
	}
	ex := res.Explain
	if ex.GrantedBy != "identity" || ex.DeniedBy != "" || ex.Reason == "" {
		t.Fatalf("explanation: %+v", ex)
	}
	want := MatchedStatement{Step: "identity", Policy: "identity[0]", Statement: 0, Sid: "ReadAll", Effect: "Allow"}
	if len(ex.Statements) != 1 || ex.Statements[0] != want {
		t.Fatalf("statements: want [%+v], got %+v", want, ex.Statements)
	}
	if len(ex.Steps) == 0 || ex.Steps[len(ex.Steps)-1] != (StepResult{Step: "identity", Outcome: "allow"}) {
		t.Fatalf("steps: %+v", ex.Steps)
	}
}

func TestEvaluateExplicitDeny(t *testing.T) {
	res, err := Evaluate(req("s3:DeleteObject"), testPolicies())
	if err != nil {
		t.Fatal(err)
	}
	if res.Allowed() || res.Decision != "explicitDeny" {
		t.Fatalf("want explicitDeny, got %+v", res)
	}
	ex := res.Explain
	if ex.DeniedBy != "identity" || ex.GrantedBy != "" || ex.Reason == "" {
		t.Fatalf("explanation: %+v", ex)
	}
	want := MatchedStatement{Step: "identity", Policy: "identity[0]", Statement: 1, Effect: "Deny"}
	if len(ex.Statements) != 1 || ex.Statements[0] != want {
		t.Fatalf("statements: want [%+v], got %+v", want, ex.Statements)
	}
	if len(ex.Steps) == 0 || ex.Steps[len(ex.Steps)-1].Outcome != "explicitDeny" {
		t.Fatalf("steps: %+v", ex.Steps)
	}
}

func TestEvaluateImplicitDeny(t *testing.T) {
	res, err := Evaluate(req("s3:ListBucket"), testPolicies())
	if err != nil {
		t.Fatal(err)
	}
	if res.Allowed() || res.Decision != "implicitDeny" || res.Explain.DeniedBy != "identity" {
		t.Fatalf("want implicitDeny by identity, got %+v", res)
	}
	if len(res.Explain.Statements) != 0 {
		t.Fatalf("statements: %+v", res.Explain.Statements)
	}
}

func TestEvaluateContext(t *testing.T) {
	r := req("s3:PutObject")
	for _, tc := range []struct {
		ip   interface{}
		want string
	}{
		{nil, "implicitDeny"},
		{"203.0.113.7", "allowed"},
		{"198.51.100.1", "implicitDeny"},
		{[]interface{}{"198.51.100.1", "203.0.113.7"}, "allowed"},
	} {
		r.Context = nil
		if tc.ip != nil {
			r.Context = map[string]interface{}{"aws:SourceIp": tc.ip}
		}
		res, err := Evaluate(r, testPolicies())
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
	res, err := Evaluate(r, testPolicies())
	if err != nil {
		t.Fatal(err)
	}
	if res.Decision != "implicitDeny" || res.Explain.DeniedBy != "resource" {
		t.Fatalf("cross-account without a resource policy: %+v", res)
	}
	p := testPolicies()
	p.Resource = json.RawMessage(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
		"Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "*"}}`)
	if res, err = Evaluate(r, p); err != nil || !res.Allowed() {
		t.Fatalf("cross-account with a resource policy: %+v, %v", res, err)
	}
}

func TestEvaluateJSON(t *testing.T) {
	res, err := EvaluateJSON([]byte(`{"request": {"principal": "` + alice + `", "action": "s3:GetObject",
		"resource": "` + bucket + `"}, "policies": {"identity": [` + string(identityPolicy) + `]}}`))
	if err != nil || !res.Allowed() {
		t.Fatalf("%+v, %v", res, err)
	}
}

func TestEvaluateJSONErrors(t *testing.T) {
	_, err := EvaluateJSON([]byte(`{"request": `))
	if e := asError(t, err, "IAM_INPUT_JSON"); e.Status != StatusInput {
		t.Fatalf("status: %v", e.Status)
	}
	_, err = EvaluateJSON([]byte(`{"request": {}, "policies": {}}`))
	asError(t, err, "IAM_INPUT_SCHEMA")
	// A NUL byte cannot cross the C boundary: rejected, not truncated.
	_, err = EvaluateJSON([]byte("{\"request\": {}}\x00garbage"))
	if e := asError(t, err, "IAM_INVALID_ARGUMENT"); e.Status != StatusInvalidArgument {
		t.Fatalf("status: %v", e.Status)
	}
	// Invalid UTF-8 is rejected by the C library.
	_, err = EvaluateJSON([]byte("{\"request\": \"\xff\"}"))
	if e := asError(t, err, "IAM_INVALID_ARGUMENT"); e.Status != StatusInvalidArgument {
		t.Fatalf("status: %v", e.Status)
	}
}

func TestEvaluateUnencodableInput(t *testing.T) {
	r := req("s3:GetObject")
	r.Context = map[string]interface{}{"aws:SourceIp": make(chan int)}
	_, err := Evaluate(r, testPolicies())
	asError(t, err, "IAM_INVALID_ARGUMENT")
	_, err = NewPolicySet(Policies{Identity: []json.RawMessage{json.RawMessage(`{bad`)}})
	asError(t, err, "IAM_INVALID_ARGUMENT")
}

func TestMalformedRequest(t *testing.T) {
	r := req("s3:GetObject")
	r.Principal = "alice"
	_, err := Evaluate(r, testPolicies())
	e := asError(t, err, "IAM_REQUEST_PRINCIPAL")
	if e.Status != StatusInput || e.Message == "" {
		t.Fatalf("error: %+v", e)
	}
	ps, err := NewPolicySet(testPolicies())
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close()
	_, err = ps.Evaluate(r)
	asError(t, err, "IAM_REQUEST_PRINCIPAL")
	_, err = ps.EvaluateJSON([]byte(`{"principal": "` + alice + `"}`))
	asError(t, err, "IAM_INPUT_SCHEMA")
}

// badConditionPolicy has a NumericLessThan condition whose value is not a number.
var badConditionPolicy = json.RawMessage(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Action": "s3:ListBucket", "Resource": "*",
  "Condition": {"NumericLessThan": {"s3:max-keys": "ten"}}}]}`)

func TestInvalidPolicy(t *testing.T) {
	p := Policies{Identity: []json.RawMessage{identityPolicy, badConditionPolicy}}
	_, err := NewPolicySet(p)
	e := asError(t, err, "IAM_POLICY_CONDITION_VALUE")
	if e.Status != StatusInput || e.Location == nil || !strings.HasPrefix(e.Location.JSONPath, "$.identity[1].Statement[0].Condition") {
		t.Fatalf("error: %+v (location %+v)", e, e.Location)
	}
	if e.Location.Line < 1 || e.Location.Column < 1 {
		t.Fatalf("location: %+v", e.Location)
	}
	if !strings.Contains(e.Error(), "IAM_POLICY_CONDITION_VALUE") || !strings.Contains(e.Error(), e.Location.JSONPath) {
		t.Fatalf("Error(): %s", e.Error())
	}

	_, err = Evaluate(req("s3:GetObject"), p)
	e = asError(t, err, "IAM_POLICY_CONDITION_VALUE")
	if e.Location == nil || !strings.HasPrefix(e.Location.JSONPath, "$.policies.identity[1]") {
		t.Fatalf("location: %+v", e.Location)
	}
}

func TestErrorsAs(t *testing.T) {
	_, err := Evaluate(Request{Principal: "nobody", Action: "s3:GetObject", Resource: "*"}, Policies{})
	wrapped := fmt.Errorf("checking access: %w", err)
	var e *Error
	if !errors.As(wrapped, &e) {
		t.Fatalf("errors.As failed on %v", wrapped)
	}
	if e.Code != "IAM_REQUEST_PRINCIPAL" || e.Status != StatusInput {
		t.Fatalf("error: %+v", e)
	}
	if !strings.HasPrefix(wrapped.Error(), "checking access: iamkit: IAM_REQUEST_PRINCIPAL: ") {
		t.Fatalf("message: %s", wrapped)
	}
}

func TestErrorString(t *testing.T) {
	for _, tc := range []struct {
		e    Error
		want string
	}{
		{Error{Code: "IAM_X", Message: "m"}, "iamkit: IAM_X: m"},
		{Error{Code: "IAM_X", Message: "m", Location: &Location{JSONPath: "$.a", Line: 2, Column: 3}}, "iamkit: IAM_X: m (at $.a, line 2, column 3)"},
		{Error{Code: "IAM_X", Message: "m", Location: &Location{JSONPath: "$"}}, "iamkit: IAM_X: m (at $)"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestPolicySetReuse(t *testing.T) {
	ps, err := NewPolicySet(testPolicies())
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close()
	for i := 0; i < 3; i++ {
		for action, want := range map[string]string{
			"s3:GetObject":    "allowed",
			"s3:DeleteObject": "explicitDeny",
			"s3:ListBucket":   "implicitDeny",
		} {
			res, err := ps.Evaluate(req(action))
			if err != nil {
				t.Fatal(err)
			}
			if res.Decision != want {
				t.Fatalf("%s: want %s, got %s", action, want, res.Decision)
			}
		}
	}
	res, err := ps.EvaluateJSON([]byte(`{"principal": "` + alice + `", "action": "s3:GetObject", "resource": "*"}`))
	if err != nil || !res.Allowed() {
		t.Fatalf("%+v, %v", res, err)
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
	asError(t, err, "IAM_INPUT_JSON")
}

func TestPolicySetConcurrent(t *testing.T) {
	ps, err := NewPolicySet(testPolicies())
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close()
	actions := []string{"s3:GetObject", "s3:DeleteObject", "s3:ListBucket"}
	want := []string{"allowed", "explicitDeny", "implicitDeny"}
	const goroutines, rounds = 8, 200
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				k := (g + i) % len(actions)
				res, err := ps.Evaluate(req(actions[k]))
				if err != nil {
					errs <- err
					return
				}
				if res.Decision != want[k] {
					errs <- fmt.Errorf("goroutine %d: %s: want %s, got %s", g, actions[k], want[k], res.Decision)
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

func TestCloseWhileEvaluating(t *testing.T) {
	ps, err := NewPolicySet(testPolicies())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				res, err := ps.Evaluate(req("s3:GetObject"))
				if err != nil {
					var e *Error
					if !errors.As(err, &e) || e.Code != "IAM_INVALID_ARGUMENT" {
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
	ps.Close()
	wg.Wait()
}

func TestEvaluateBatch(t *testing.T) {
	ps, err := NewPolicySet(testPolicies())
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close()
	bad := req("s3:GetObject")
	bad.Principal = "bob"
	reqs := []Request{req("s3:GetObject"), bad, req("s3:DeleteObject"), req("s3:ListBucket")}
	res, err := ps.EvaluateBatch(reqs)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(reqs) {
		t.Fatalf("want %d results, got %d", len(reqs), len(res))
	}
	wantDecisions := []string{"allowed", "", "explicitDeny", "implicitDeny"}
	for i, r := range res {
		if i == 1 {
			if r.Result != nil || r.Err == nil || r.Err.Code != "IAM_REQUEST_PRINCIPAL" || r.Err.Status != StatusInput {
				t.Fatalf("result 1: want IAM_REQUEST_PRINCIPAL, got %+v / %+v", r.Result, r.Err)
			}
			continue
		}
		if r.Err != nil || r.Result == nil {
			t.Fatalf("result %d: %+v / %v", i, r.Result, r.Err)
		}
		if r.Result.Decision != wantDecisions[i] {
			t.Fatalf("result %d: want %s, got %s", i, wantDecisions[i], r.Result.Decision)
		}
	}
	if g := res[0].Result.Explain.Statements; len(g) != 1 || g[0].Sid != "ReadAll" {
		t.Fatalf("batch explanation: %+v", res[0].Result.Explain)
	}

	// The batch answer agrees with single evaluations.
	for i, r := range reqs {
		single, err := ps.Evaluate(r)
		if i == 1 {
			asError(t, err, "IAM_REQUEST_PRINCIPAL")
			continue
		}
		if err != nil || single.Decision != res[i].Result.Decision || single.Explain.Reason != res[i].Result.Explain.Reason {
			t.Fatalf("request %d: single %+v (%v) vs batch %+v", i, single, err, res[i].Result)
		}
	}

	empty, err := ps.EvaluateBatch(nil)
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
	if e := asError(t, err, "IAM_INVALID_ARGUMENT"); e.Status != StatusInvalidArgument {
		t.Fatalf("status: %d", e.Status)
	}
	_, err = ps.EvaluateJSON([]byte(`{}`))
	asError(t, err, "IAM_INVALID_ARGUMENT")
	_, err = ps.EvaluateBatch([]Request{req("s3:GetObject")})
	asError(t, err, "IAM_INVALID_ARGUMENT")
}

func TestValidatePolicy(t *testing.T) {
	v, err := ValidatePolicy(identityPolicy, "identity")
	if err != nil {
		t.Fatal(err)
	}
	if !v.Valid || len(v.Diagnostics) != 0 {
		t.Fatalf("want valid, got %+v", v)
	}

	v, err = ValidatePolicy(badConditionPolicy, "identity")
	if err != nil {
		t.Fatal(err)
	}
	if v.Valid || len(v.Diagnostics) == 0 {
		t.Fatalf("want invalid, got %+v", v)
	}
	d := v.Diagnostics[0]
	if d.Code != "IAM_POLICY_CONDITION_VALUE" || d.Severity != "error" || d.Message == "" ||
		!strings.HasPrefix(d.Location.JSONPath, "$.Statement[0].Condition") || d.Location.Line != 3 {
		t.Fatalf("diagnostic: %+v", d)
	}

	// A warning alone leaves the policy valid.
	v, err = ValidatePolicy([]byte(`{"Version": "2012-10-17", "Statement": []}`), "identity")
	if err != nil {
		t.Fatal(err)
	}
	if !v.Valid || len(v.Diagnostics) != 1 || v.Diagnostics[0].Code != "IAM_POLICY_EMPTY" || v.Diagnostics[0].Severity != "warning" {
		t.Fatalf("empty policy: %+v", v)
	}

	// Principal is not allowed in an identity policy, but required in a resource policy.
	withPrincipal := []byte(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}}`)
	if v, err = ValidatePolicy(withPrincipal, "resource"); err != nil || !v.Valid {
		t.Fatalf("resource: %+v, %v", v, err)
	}
	if v, err = ValidatePolicy(withPrincipal, "identity"); err != nil || v.Valid {
		t.Fatalf("identity: %+v, %v", v, err)
	}

	_, err = ValidatePolicy(identityPolicy, "no-such-type")
	asError(t, err, "IAM_INPUT_SCHEMA")
}
