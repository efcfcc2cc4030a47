package iamkit

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// auditMet applies tests/README.md's audit expectation to an answer or error.
func auditMet(expected map[string]interface{}, got map[string]interface{}) bool {
	if e, ok := expected["error"]; ok {
		g, present := got["error"]
		return present && subset(e, g)
	}
	answer, ok := got["answer"].(map[string]interface{})
	if !ok {
		return false
	}
	findings, _ := answer["findings"].([]interface{})
	anyMatch := func(e interface{}) bool {
		for _, f := range findings {
			if subset(e, f) {
				return true
			}
		}
		return false
	}
	for k, v := range expected {
		switch k {
		case "contains":
			for _, e := range v.([]interface{}) {
				if !anyMatch(e) {
					return false
				}
			}
		case "lacks":
			for _, e := range v.([]interface{}) {
				if anyMatch(e) {
					return false
				}
			}
		default:
			if x, present := answer[k]; !present || !subset(v, x) {
				return false
			}
		}
	}
	return true
}

func TestAuditConformance(t *testing.T) {
	seen := map[string]string{}
	cases := loadCases(t, filepath.Join(casesDir, "audit"))
	if len(cases) < 50 {
		t.Fatalf("only %d audit cases", len(cases))
	}
	for _, nc := range cases {
		var c struct {
			Name     string                 `json:"name"`
			Inputs   json.RawMessage        `json:"inputs"`
			Expected map[string]interface{} `json:"expected"`
		}
		if err := json.Unmarshal(nc.raw, &c); err != nil {
			t.Fatalf("%s: %v", nc.file, err)
		}
		checkName(t, seen, c.Name, nc.file)
		t.Run(c.Name, func(t *testing.T) {
			got := map[string]interface{}{}
			out, err := AuditJSON(c.Inputs)
			if err != nil {
				var ie *Error
				if !errors.As(err, &ie) {
					t.Fatalf("not an *Error: %v", err)
				}
				got["error"] = map[string]interface{}{"code": ie.Code, "message": ie.Message}
			} else {
				var answer interface{}
				if err := json.Unmarshal(out, &answer); err != nil {
					t.Fatal(err)
				}
				got["answer"] = answer
			}
			if !auditMet(c.Expected, got) {
				b, _ := json.Marshal(got)
				if len(b) > 3000 {
					b = b[:3000]
				}
				t.Errorf("expected %v\ngot %s", c.Expected, b)
			}
		})
	}
}

func TestAuditAPI(t *testing.T) {
	demo := "../../examples/demo-account"
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(demo, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	r, err := Audit(AuditInputs{
		CredentialReport:     read("credential-report.csv"),
		AuthorizationDetails: read("authorization-details.json"),
		PasswordPolicy:       read("password-policy.json"),
		AccountSummary:       read("account-summary.json"),
		VirtualMFADevices:    read("virtual-mfa-devices.json"),
		Options:              AuditOptions{AsOf: "2026-11-20T08:00:00Z"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.AsOfSource != "option" || r.AccountID != "123456789012" || r.Summary.Fail == 0 || r.Summary.Pass == 0 {
		t.Fatalf("report: %+v", r.Summary)
	}
	found := false
	for _, f := range r.Findings {
		if f.CheckID == "console-mfa" && f.Status == "fail" && f.Resource.ARN == "arn:aws:iam::123456789012:user/bob" {
			found = true
		}
	}
	if !found {
		t.Error("bob's console user without MFA is not reported")
	}
	rows, err := ParseCredentialReport(read("credential-report.json"))
	if err != nil || !json.Valid(rows) {
		t.Fatalf("report rows: %v", err)
	}
	_, err = ParseCredentialReport([]byte("user,arn\nx,arn:aws:iam::111122223333:user/x\n"))
	var ie *Error
	if !errors.As(err, &ie) || ie.Code != "IAM_REPORT_FORMAT" {
		t.Fatalf("missing column: %v", err)
	}
}
