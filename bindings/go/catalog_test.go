package iamkit

import (
	"encoding/json"
	"errors"
	"path/filepath"
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
}
