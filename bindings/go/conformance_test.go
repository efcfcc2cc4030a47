package iamkit

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// casesDir is the shared conformance corpus (see tests/README.md).
const casesDir = "../../tests/cases"

// namedCase is one raw case with the file it came from.
type namedCase struct {
	file string
	raw  json.RawMessage
}

// loadCases reads every case below dir: a file holds one JSON object, an array of them, or
// JSON lines. It fails the test when dir is missing or holds no case.
func loadCases(t *testing.T, dir string) []namedCase {
	t.Helper()
	info, err := os.Stat(dir)
	if err != nil {
		t.Fatalf("conformance cases: %v", err)
	}
	if !info.IsDir() {
		t.Fatalf("conformance cases: %s is not a directory", dir)
	}
	var files []string
	err = filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if fi.Mode().IsRegular() {
			switch strings.ToLower(filepath.Ext(path)) {
			case ".json", ".jsonl", ".ndjson":
				files = append(files, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("conformance cases: %v", err)
	}
	sort.Strings(files)
	var cases []namedCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("conformance cases: %v", err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		for {
			var v json.RawMessage
			err := dec.Decode(&v)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("conformance cases: %s: %v", f, err)
			}
			v = bytes.TrimSpace(v)
			if len(v) > 0 && v[0] == '[' {
				var arr []json.RawMessage
				if err := json.Unmarshal(v, &arr); err != nil {
					t.Fatalf("conformance cases: %s: %v", f, err)
				}
				for _, c := range arr {
					cases = append(cases, namedCase{file: f, raw: c})
				}
				continue
			}
			cases = append(cases, namedCase{file: f, raw: v})
		}
	}
	if len(cases) == 0 {
		t.Fatalf("conformance cases: %s holds no case", dir)
	}
	return cases
}

// checkName fails the test on a missing or repeated case name.
func checkName(t *testing.T, seen map[string]string, name, file string) {
	t.Helper()
	if name == "" {
		t.Fatalf("%s: a case has no name", file)
	}
	if prev, ok := seen[name]; ok {
		t.Errorf("case name %q is used twice (%s, %s)", name, prev, file)
	}
	seen[name] = file
}

type evalConformanceCase struct {
	Name     string          `json:"name"`
	Request  json.RawMessage `json:"request"`
	Policies json.RawMessage `json:"policies"`
	Expected struct {
		Decision string `json:"decision"`
		DeniedBy string `json:"deniedBy"`
		Error    *struct {
			Code string `json:"code"`
		} `json:"error"`
	} `json:"expected"`
}

// evalInput is what a case sends to iamkit: only the request and the policies.
type evalInput struct {
	Request  json.RawMessage `json:"request,omitempty"`
	Policies json.RawMessage `json:"policies,omitempty"`
}

func TestConformanceEval(t *testing.T) {
	cases := loadCases(t, filepath.Join(casesDir, "eval"))
	seen := map[string]string{}
	for _, nc := range cases {
		var c evalConformanceCase
		if err := json.Unmarshal(nc.raw, &c); err != nil {
			t.Fatalf("%s: %v", nc.file, err)
		}
		checkName(t, seen, c.Name, nc.file)
		if c.Expected.Error == nil && c.Expected.Decision == "" {
			t.Fatalf("%s: case %q expects neither a decision nor an error", nc.file, c.Name)
		}
		input, err := json.Marshal(evalInput{Request: c.Request, Policies: c.Policies})
		if err != nil {
			t.Fatalf("%s: case %q: %v", nc.file, c.Name, err)
		}
		t.Run(c.Name, func(t *testing.T) {
			res, err := EvaluateJSON(input)
			if want := c.Expected.Error; want != nil {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("want error %s, got result %+v (err %v)", want.Code, res, err)
				}
				if e.Code != want.Code {
					t.Fatalf("want error %s, got %v", want.Code, e)
				}
				if res != nil {
					t.Fatalf("got a result with an error: %+v", res)
				}
				return
			}
			if err != nil {
				t.Fatalf("want decision %s, got error %v", c.Expected.Decision, err)
			}
			if res.Decision != c.Expected.Decision {
				t.Fatalf("want decision %s, got %s (%s)", c.Expected.Decision, res.Decision, res.Explain.Reason)
			}
			if res.Allowed() != (c.Expected.Decision == "allowed") {
				t.Fatalf("Allowed() = %v for decision %s", res.Allowed(), res.Decision)
			}
			if c.Expected.DeniedBy != "" && res.Explain.DeniedBy != c.Expected.DeniedBy {
				t.Fatalf("want deniedBy %s, got %q (%s)", c.Expected.DeniedBy, res.Explain.DeniedBy, res.Explain.Reason)
			}
		})
	}
}

type policyConformanceCase struct {
	Name       string          `json:"name"`
	Type       string          `json:"type"`
	Policy     json.RawMessage `json:"policy"`
	PolicyText *string         `json:"policyText"`
	Expected   struct {
		Valid *bool    `json:"valid"`
		Codes []string `json:"codes"`
	} `json:"expected"`
}

func TestConformancePolicy(t *testing.T) {
	cases := loadCases(t, filepath.Join(casesDir, "policy"))
	seen := map[string]string{}
	for _, nc := range cases {
		var c policyConformanceCase
		if err := json.Unmarshal(nc.raw, &c); err != nil {
			t.Fatalf("%s: %v", nc.file, err)
		}
		checkName(t, seen, c.Name, nc.file)
		var text []byte
		switch {
		case c.PolicyText != nil:
			text = []byte(*c.PolicyText)
		case c.Policy != nil:
			text = c.Policy
		default:
			t.Fatalf("%s: case %q has neither policy nor policyText", nc.file, c.Name)
		}
		if c.Expected.Valid == nil {
			t.Fatalf("%s: case %q has no expected.valid", nc.file, c.Name)
		}
		typ := c.Type
		if typ == "" {
			typ = "identity"
		}
		wantValid := *c.Expected.Valid
		t.Run(c.Name, func(t *testing.T) {
			v, err := ValidatePolicy(text, typ)
			if err != nil {
				t.Fatalf("ValidatePolicy: %v", err)
			}
			if v.Valid != wantValid {
				t.Fatalf("want valid=%v, got %v with %+v", wantValid, v.Valid, v.Diagnostics)
			}
			got := map[string]bool{}
			for _, d := range v.Diagnostics {
				got[d.Code] = true
				if wantValid && d.Severity == "error" {
					t.Errorf("valid policy has an error diagnostic: %+v", d)
				}
			}
			for _, code := range c.Expected.Codes {
				if !got[code] {
					t.Errorf("want diagnostic %s, got %+v", code, v.Diagnostics)
				}
			}
		})
	}
}
