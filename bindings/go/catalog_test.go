package iamkit

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
)

func TestCatalogConformance(t *testing.T) {
	seen := map[string]string{}
	cases := loadCases(t, filepath.Join(casesDir, "catalog"))
	if len(cases) < 20 {
		t.Fatalf("only %d catalog cases", len(cases))
	}
	for _, nc := range cases {
		var c struct {
			Name     string          `json:"name"`
			Query    json.RawMessage `json:"query"`
			Expected interface{}     `json:"expected"`
		}
		if err := json.Unmarshal(nc.raw, &c); err != nil {
			t.Fatalf("%s: %v", nc.file, err)
		}
		checkName(t, seen, c.Name, nc.file)
		t.Run(c.Name, func(t *testing.T) {
			var got interface{}
			out, err := CatalogJSON(c.Query)
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
				if len(b) > 2000 {
					b = b[:2000]
				}
				t.Errorf("expected %v\ngot %s", c.Expected, b)
			}
		})
	}
}

func TestCatalogAPI(t *testing.T) {
	r, err := LintPolicy([]byte(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}}`), "")
	if err != nil || !r.Valid || len(r.Findings) != 1 || r.Findings[0].Code != "IAM_LINT_PASSROLE_STAR" {
		t.Fatalf("lint: %+v %v", r, err)
	}
	m, err := ExpandActions([]string{"s3:?etObject"}, false)
	if err != nil || len(m) != 1 || m[0].Action != "s3:GetObject" || m[0].Access != "Read" {
		t.Fatalf("expand: %+v %v", m, err)
	}
	if _, err := LintPolicy([]byte(`{}`), "nope"); err == nil {
		t.Fatal("an unknown type is an error")
	}
	a, err := LookupAction("S3:getobject")
	if err != nil || a == nil || a.Action != "s3:GetObject" || a.Access != "Read" || len(a.Resources) == 0 {
		t.Fatalf("lookup: %+v %v", a, err)
	}
	if a, err := LookupAction("s3:nope"); err != nil || a != nil {
		t.Fatalf("an unknown action is nil: %+v %v", a, err)
	}
	policy := []byte(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["sqs:*", "iam:PassRole"], "Resource": "*"}}`)
	s, err := SummarizePolicy(policy, "")
	if err != nil || len(s.Services) != 2 || s.Services[1].Service != "sqs" || s.Services[1].Access != "Full access" {
		t.Fatalf("summarize: %+v %v", s, err)
	}
	lint, _ := LintPolicy(policy, "")
	r2, err := ReviewPolicy(policy, "")
	if err != nil || !reflect.DeepEqual(r2.Lint, *lint) || !reflect.DeepEqual(r2.Summary, s) {
		t.Fatalf("review differs from lint and summarize: %+v %v", r2, err)
	}
	bad, err := ReviewPolicy([]byte(`{"Version": "2012-10-17", "Statement": {"Effect": "allow"}}`), "")
	if err != nil || bad.Lint.Valid || bad.Summary != nil {
		t.Fatalf("an invalid policy has a report and no summary: %+v %v", bad, err)
	}
	if _, err := SummarizePolicy([]byte(`{"Version": "2012-10-17", "Statement": {"Effect": "allow"}}`), ""); err == nil {
		t.Fatal("summarize refuses an invalid policy")
	}
}
