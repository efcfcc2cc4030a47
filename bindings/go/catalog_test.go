package iamkit

import (
	"reflect"
	"testing"
)

func TestCatalogAPI(t *testing.T) {
	r, err := Lint(PolicyInput{Policy: Document(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}}`)})
	if err != nil || !r.Valid || len(r.Findings) != 1 || r.Findings[0].Code != string(LintCodeIAMLintPassroleStar) {
		t.Fatalf("lint: %+v %v", r, err)
	}
	m, err := ExpandActions(ExpandActionsInput{Patterns: []string{"s3:?etObject"}})
	if err != nil || len(m) != 1 || m[0].Action != "s3:GetObject" || m[0].Access != AccessLevelRead {
		t.Fatalf("expand: %+v %v", m, err)
	}
	if _, err := Lint(PolicyInput{Policy: Document(`{}`), Type: "nope"}); err == nil {
		t.Fatal("an unknown type is an error")
	}
	a, err := LookupAction(LookupActionInput{Action: "S3:getobject"})
	if err != nil || a == nil || a.Action != "s3:GetObject" || a.Access != AccessLevelRead || len(a.Resources) == 0 {
		t.Fatalf("lookup: %+v %v", a, err)
	}
	if a, err := LookupAction(LookupActionInput{Action: "s3:nope"}); err != nil || a != nil {
		t.Fatalf("an unknown action is nil: %+v %v", a, err)
	}
	policy := PolicyInput{Policy: Document(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["sqs:*", "iam:PassRole"], "Resource": "*"}}`)}
	s, err := Summarize(policy)
	if err != nil || len(s.Services) != 2 || s.Services[1].Service != "sqs" || s.Services[1].Access != "Full access" {
		t.Fatalf("summarize: %+v %v", s, err)
	}
	lint, _ := Lint(policy)
	r2, err := Review(policy)
	if err != nil || !reflect.DeepEqual(r2.Lint, *lint) || !reflect.DeepEqual(r2.Summary, s) {
		t.Fatalf("review differs from lint and summarize: %+v %v", r2, err)
	}
	broken := PolicyInput{Policy: Document(`{"Version": "2012-10-17", "Statement": {"Effect": "allow"}}`)}
	bad, err := Review(broken)
	if err != nil || bad.Lint.Valid || bad.Summary != nil {
		t.Fatalf("an invalid policy has a report and no summary: %+v %v", bad, err)
	}
	if _, err := Summarize(broken); err == nil {
		t.Fatal("summarize refuses an invalid policy")
	}
	src, err := GetCatalogSource(CatalogInput{})
	if err != nil || src.Services == 0 || src.Actions == 0 || src.Source.Package == "" {
		t.Fatalf("catalog source: %+v %v", src, err)
	}
}
