package iamkit

import (
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
)

const tinyAccount = `{"UserDetailList": [{"UserName": "alice", "UserId": "AIDAEXAMPLE", "Arn": "arn:aws:iam::111122223333:user/alice",
  "UserPolicyList": [{"PolicyName": "read", "PolicyDocument": {"Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}}}]}],
  "RoleDetailList": [{"RoleName": "ops", "Arn": "arn:aws:iam::111122223333:role/ops",
  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow",
  "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole",
  "Condition": {"StringEquals": {"sts:ExternalId": "x"}}}}}]}`

func TestAccountAPI(t *testing.T) {
	a, err := NewAccount(AccountOpenInput{Details: Document(tinyAccount)})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := a.Evaluate(AccountEvaluateInput{Principal: "alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/alice/k"})
	if err != nil || !ev.Decision.Allowed() {
		t.Fatalf("alice reads her prefix: %+v %v", ev, err)
	}
	if ev.Explain.Statements[0].Policy != "arn:aws:iam::111122223333:user/alice inline policy read" {
		t.Errorf("label: %q", ev.Explain.Statements[0].Policy)
	}
	w, err := a.WhoCan(WhoCanInput{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/bob/k"})
	if err != nil || len(w.Allowed) != 0 {
		t.Fatalf("nobody reads bob's prefix: %+v %v", w, err)
	}
	wa, err := a.WhoCanAssume(RoleInput{Role: "ops"})
	if err != nil || len(wa.Trusted) != 1 || !wa.Trusted[0].ExternalID || wa.Trusted[0].InAccount {
		t.Fatalf("trusted: %+v %v", wa, err)
	}
	s, err := a.Summary()
	if err != nil || s.AccountID == nil || *s.AccountID != "111122223333" || s.Users != 1 || s.Roles != 1 {
		t.Fatalf("summary: %+v %v", s, err)
	}
	ps, err := a.Principals()
	if err != nil || len(ps) != 2 {
		t.Fatalf("principals: %+v %v", ps, err)
	}
	if admin, err := a.IsAdministrator(PrincipalInput{Principal: "user/alice"}); err != nil || admin.Administrator {
		t.Fatalf("alice is no administrator: %+v %v", admin, err)
	}
	perms, err := a.Permissions(PrincipalInput{Principal: "alice"})
	if err != nil || perms.Administrator || len(perms.Services) != 1 || perms.Services[0].Service != "s3" {
		t.Fatalf("permissions: %+v %v", perms, err)
	}
	_, err = a.Evaluate(AccountEvaluateInput{Principal: "nobody", Action: "s3:GetObject", Resource: "*"})
	asError(t, err, ErrorCodeIAMAccountPrincipal)
	out, err := a.CallJSON("isAdministrator", []byte(`{"principal": "role/ops"}`))
	if err != nil || string(out) != `{"administrator":false}` {
		t.Fatalf("CallJSON: %s %v", out, err)
	}

	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				if w, err := a.WhoCan(WhoCanInput{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/alice/k"}); err != nil || len(w.Allowed) != 1 {
					t.Errorf("concurrent whoCan: %+v %v", w, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	a.Close()
	a.Close()
	_, err = a.Summary()
	asError(t, err, ErrorCodeIAMInvalidArgument)

	_, err = NewAccount(AccountOpenInput{Details: Document(`{"UserDetailList": [{"Arn": "arn:aws:iam::111122223333:user/x"}]}`)})
	asError(t, err, ErrorCodeIAMAccountData)
	r, err := ReadCredentials(CredentialsInput{Document: Document(`{"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": "ASIAEXAMPLE",
	  "SecretAccessKey": "s", "Token": "t", "Expiration": "2026-11-23T14:00:00Z"}`), AsOf: "2026-11-23T13:00:00Z"})
	if err != nil || r.Expired || r.KeyKind != AccessKeyKindTemporary {
		t.Fatalf("credentials: %+v %v", r, err)
	}
}

// NewAccountJSON takes the files as the AWS CLI writes them: pages one after another are one
// text, not one JSON value; the credential report is CSV.
func TestNewAccountJSON(t *testing.T) {
	page2 := `{"RoleDetailList": [{"RoleName": "ops", "Arn": "arn:aws:iam::111122223333:role/ops"}],
	  "Policies": [{"PolicyName": "Admin", "Arn": "arn:aws:iam::aws:policy/AdministratorAccess"}]}`
	details := []byte(`{"UserDetailList": [{"UserName": "alice", "UserId": "AIDAEXAMPLE", "Arn": "arn:aws:iam::111122223333:user/alice",
	  "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}]}],
	  "IsTruncated": true, "Marker": "m"}` + "\n" + page2 + "\n")
	managed := map[string]Document{"arn:aws:iam::aws:policy/AdministratorAccess": Document(
		`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}`)}
	report, err := os.ReadFile("../../examples/demo-account/credential-report.csv")
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewAccountJSON(details, managed, report)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	s, err := a.Summary()
	if err != nil || s.Users != 1 || s.Roles != 1 || len(s.Administrators) != 1 || s.Administrators[0] != "arn:aws:iam::111122223333:user/alice" {
		t.Fatalf("summary: %+v %v", s, err)
	}

	// An error in the text points at its line.
	_, err = NewAccountJSON([]byte("{\"UserDetailList\": []}\n{\"RoleDetailList\": [}\n"), nil, nil)
	var e *Error
	if !errors.As(err, &e) || e.Location == nil || e.Location.Line == nil || *e.Location.Line != 2 {
		t.Fatalf("want an error on line 2, got %v", err)
	}
	if !strings.HasPrefix(string(e.Code), "IAM_") {
		t.Fatalf("code: %v", e)
	}
}
