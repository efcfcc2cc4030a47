package iamkit

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
)

// samplesDir holds the authorization-details samples beside the checkout.
const samplesDir = "../../../shared/data/authorization-details"

type accountCase struct {
	Name     string          `json:"name"`
	Account  json.RawMessage `json:"account"`
	Sample   string          `json:"sample"`
	Options  json.RawMessage `json:"options"`
	Query    json.RawMessage `json:"query"`
	Expected interface{}     `json:"expected"`
}

// subset reports whether expected is a part of actual (see tests/README.md, account cases).
func subset(expected, actual interface{}) bool {
	switch e := expected.(type) {
	case map[string]interface{}:
		a, ok := actual.(map[string]interface{})
		if !ok {
			return false
		}
		for k, v := range e {
			x, present := a[k]
			if !present || !subset(v, x) {
				return false
			}
		}
		return true
	case []interface{}:
		a, ok := actual.([]interface{})
		if !ok || len(a) != len(e) {
			return false
		}
		for i := range e {
			if !subset(e[i], a[i]) {
				return false
			}
		}
		return true
	default:
		return reflect.DeepEqual(expected, actual)
	}
}

func TestAccountConformance(t *testing.T) {
	seen := map[string]string{}
	cases := loadCases(t, filepath.Join(casesDir, "account"))
	if len(cases) < 50 {
		t.Fatalf("only %d account cases", len(cases))
	}
	for _, nc := range cases {
		var c accountCase
		if err := json.Unmarshal(nc.raw, &c); err != nil {
			t.Fatalf("%s: %v", nc.file, err)
		}
		checkName(t, seen, c.Name, nc.file)
		t.Run(c.Name, func(t *testing.T) {
			details := []byte(c.Account)
			if c.Sample != "" {
				b, err := os.ReadFile(filepath.Join(samplesDir, c.Sample))
				if err != nil {
					if os.Getenv("CI") == "true" {
						t.Fatalf("sample: %v", err)
					}
					t.Skipf("sample: %v", err)
				}
				details = b
			}
			var opts []byte
			if len(c.Options) > 0 {
				opts = c.Options
			}
			var got interface{}
			a, err := NewAccount(details, opts)
			var out []byte
			if err == nil {
				defer a.Close()
				out, err = a.QueryJSON(c.Query)
			}
			if err != nil {
				var ie *Error
				if !errors.As(err, &ie) {
					t.Fatalf("not an *Error: %v", err)
				}
				got = map[string]interface{}{"error": map[string]interface{}{"code": ie.Code, "message": ie.Message}}
			} else {
				var answer interface{}
				if err := json.Unmarshal(out, &answer); err != nil {
					t.Fatal(err)
				}
				got = map[string]interface{}{"answer": answer}
			}
			if !subset(c.Expected, got) {
				b, _ := json.Marshal(got)
				t.Errorf("expected %v\ngot %s", c.Expected, b)
			}
		})
	}
}

const tinyAccount = `{"UserDetailList": [{"UserName": "alice", "UserId": "AIDAEXAMPLE", "Arn": "arn:aws:iam::111122223333:user/alice",
  "UserPolicyList": [{"PolicyName": "read", "PolicyDocument": {"Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}}}]}],
  "RoleDetailList": [{"RoleName": "ops", "Arn": "arn:aws:iam::111122223333:role/ops",
  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow",
  "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole",
  "Condition": {"StringEquals": {"sts:ExternalId": "x"}}}}}]}`

func TestAccountAPI(t *testing.T) {
	a, err := NewAccount([]byte(tinyAccount), nil)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := a.Evaluate("alice", AccountQuery{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/alice/k"})
	if err != nil || !ev.Allowed() {
		t.Fatalf("alice reads her prefix: %+v %v", ev, err)
	}
	if ev.Explain.Statements[0].Policy != "arn:aws:iam::111122223333:user/alice inline policy read" {
		t.Errorf("label: %q", ev.Explain.Statements[0].Policy)
	}
	w, err := a.WhoCan(AccountQuery{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/bob/k"})
	if err != nil || len(w.Allowed) != 0 {
		t.Fatalf("nobody reads bob's prefix: %+v %v", w, err)
	}
	wa, err := a.WhoCanAssume("ops")
	if err != nil || len(wa.Trusted) != 1 || !wa.Trusted[0].ExternalID || wa.Trusted[0].InAccount {
		t.Fatalf("trusted: %+v %v", wa, err)
	}
	s, err := a.Summary()
	if err != nil || s.AccountID != "111122223333" || s.Users != 1 || s.Roles != 1 {
		t.Fatalf("summary: %+v %v", s, err)
	}
	if admin, err := a.IsAdministrator("user/alice"); err != nil || admin {
		t.Fatalf("alice is no administrator: %v %v", admin, err)
	}
	_, err = a.Evaluate("nobody", AccountQuery{Action: "s3:GetObject", Resource: "*"})
	var ie *Error
	if !errors.As(err, &ie) || ie.Code != "IAM_ACCOUNT_PRINCIPAL" {
		t.Fatalf("unknown principal: %v", err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				if w, err := a.WhoCan(AccountQuery{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/alice/k"}); err != nil || len(w.Allowed) != 1 {
					t.Errorf("concurrent whoCan: %+v %v", w, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	a.Close()
	a.Close()
	if _, err := a.Summary(); !errors.As(err, &ie) || ie.Code != "IAM_INVALID_ARGUMENT" {
		t.Fatalf("closed: %v", err)
	}
	if _, err := NewAccount([]byte(`{"UserDetailList": [{"Arn": "arn:aws:iam::111122223333:user/x"}]}`), nil); !errors.As(err, &ie) || ie.Code != "IAM_ACCOUNT_DATA" {
		t.Fatalf("missing name: %v", err)
	}
	r, err := Credentials([]byte(`{"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s",
	  "Token": "t", "Expiration": "2026-11-23T14:00:00Z"}`), "2026-11-23T13:00:00Z")
	if err != nil || r.Expired || r.KeyKind != "temporary" {
		t.Fatalf("credentials: %+v %v", r, err)
	}
}
