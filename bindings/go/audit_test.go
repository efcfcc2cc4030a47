package iamkit

import (
	"os"
	"path/filepath"
	"testing"
)

func TestAuditAPI(t *testing.T) {
	demo := "../../examples/demo-account"
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(demo, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	r, err := Audit(AuditInput{
		CredentialReport:     TextDocument(read("credential-report.csv")),
		AuthorizationDetails: Document(read("authorization-details.json")),
		PasswordPolicy:       Document(read("password-policy.json")),
		AccountSummary:       Document(read("account-summary.json")),
		VirtualMFADevices:    TextDocument(read("virtual-mfa-devices.json")), // JSON text as a string works too
		Options:              &AuditOptions{AsOf: "2026-11-20T08:00:00Z"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.AsOfSource != "option" || r.AccountID == nil || *r.AccountID != "123456789012" || r.Summary.Fail == 0 || r.Summary.Pass == 0 {
		t.Fatalf("report: %+v", r.Summary)
	}
	found := false
	for _, f := range r.Findings {
		if f.CheckID == "console-mfa" && f.Status == StatusFail && f.Resource.ARN == "arn:aws:iam::123456789012:user/bob" {
			found = true
		}
	}
	if !found {
		t.Error("bob's console user without MFA is not reported")
	}

	// No input at all: every check is notEvaluated, none fails.
	empty, err := Audit(AuditInput{})
	if err != nil || empty.Summary.Fail != 0 || empty.Summary.NotEvaluated == 0 {
		t.Fatalf("empty audit: %+v %v", empty, err)
	}

	rows, err := ParseCredentialReport(CredentialReportInput{Report: Document(read("credential-report.json"))})
	if err != nil || len(rows.Rows) == 0 || !rows.Rows[0].IsRoot {
		t.Fatalf("report rows: %+v %v", rows, err)
	}
	csv, err := ParseCredentialReport(CredentialReportInput{Report: TextDocument(read("credential-report.csv"))})
	if err != nil || len(csv.Rows) != len(rows.Rows) {
		t.Fatalf("the CSV and the envelope differ: %+v %v", csv, err)
	}
	_, err = ParseCredentialReport(CredentialReportInput{Report: TextDocument([]byte("user,arn\nx,arn:aws:iam::111122223333:user/x\n"))})
	asError(t, err, ErrorCodeIAMReportFormat)
}
