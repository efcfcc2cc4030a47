package iamkit

import (
	"errors"
	"strings"
	"testing"
)

const escalationAccount = `{"UserDetailList": [
 {"UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::111122223333:user/alice", "UserPolicyList": [{"PolicyName": "p",
  "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "arn:aws:iam::111122223333:user/bob"}]}}]},
 {"UserName": "bob", "UserId": "AIDABOB", "Arn": "arn:aws:iam::111122223333:user/bob", "UserPolicyList": [{"PolicyName": "p",
  "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PutUserPolicy", "Resource": "arn:aws:iam::111122223333:user/bob"}]}}]},
 {"UserName": "carol", "UserId": "AIDACAROL", "Arn": "arn:aws:iam::111122223333:user/carol"}],
 "GroupDetailList": [], "RoleDetailList": [], "Policies": []}`

func TestEscalations(t *testing.T) {
	a, err := NewAccount(AccountOpenInput{Details: Document(escalationAccount)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	e, err := a.Escalations(EscalationsInput{AsOf: "2026-12-01T00:00:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Escalations) != 2 {
		t.Fatalf("alice and bob escalate, carol cannot: %+v", e.Escalations)
	}
	alice := e.Escalations[0]
	if !strings.HasSuffix(alice.Principal, "user/alice") || len(alice.Hops) != 2 ||
		alice.Hops[0].Technique != "iam-002" || alice.Hops[1].Technique != "iam-007" ||
		!strings.HasSuffix(alice.Hops[0].Target, "user/bob") {
		t.Fatalf("alice's path: %+v", alice)
	}
	if r := alice.Hops[0].Requests[0]; r.Action != "iam:CreateAccessKey" || len(r.Statements) != 1 {
		t.Fatalf("the request that justifies the first hop: %+v", r)
	}
	to, err := a.Escalations(EscalationsInput{To: "user/bob", AsOf: "2026-12-01T00:00:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	if len(to.Escalations) != 1 || !strings.HasSuffix(to.Escalations[0].Principal, "user/alice") ||
		!strings.HasSuffix(to.Escalations[0].Target, "user/bob") {
		t.Fatalf("only alice can obtain bob's permissions: %+v", to.Escalations)
	}
	_, err = a.Escalations(EscalationsInput{AsOf: "yesterday"})
	var ie *Error
	if !errors.As(err, &ie) || ie.Code != "IAM_INVALID_ARGUMENT" {
		t.Fatalf("a bad asOf is an iamkit error: %v", err)
	}
}
