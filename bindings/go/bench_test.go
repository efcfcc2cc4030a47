package iamkit

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func benchSet(b *testing.B) *PolicySet {
	b.Helper()
	ps, err := NewPolicySet(testPolicies())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ps.Close() })
	return ps
}

// BenchmarkPolicySetEvaluate evaluates one request against a prepared policy set.
func BenchmarkPolicySetEvaluate(b *testing.B) {
	ps := benchSet(b)
	r := req("s3:GetObject")
	r.Context = map[string]interface{}{"aws:SourceIp": "203.0.113.7"}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		res, err := ps.Evaluate(r)
		if err != nil || !res.Allowed() {
			b.Fatalf("%+v, %v", res, err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "requests/s")
}

// BenchmarkEvaluateBatch evaluates 100 requests per call against a prepared policy set.
func BenchmarkEvaluateBatch(b *testing.B) {
	const batch = 100
	ps := benchSet(b)
	actions := []string{"s3:GetObject", "s3:DeleteObject", "s3:ListBucket", "s3:PutObject"}
	reqs := make([]Request, batch)
	for i := range reqs {
		reqs[i] = Request{
			Principal: alice,
			Action:    actions[i%len(actions)],
			Resource:  fmt.Sprintf("arn:aws:s3:::example-bucket/key-%d", i),
			Context:   map[string]interface{}{"aws:SourceIp": "203.0.113.7"},
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		res, err := ps.EvaluateBatch(reqs)
		if err != nil || len(res) != batch || res[0].Err != nil {
			b.Fatalf("%v, %v", res, err)
		}
	}
	b.ReportMetric(float64(b.N*batch)/time.Since(start).Seconds(), "requests/s")
}

// BenchmarkReviewManagedPolicies lints and summarizes every AWS managed policy beside the
// checkout (../shared/data/managed-policies), one ReviewPolicy call each.
func BenchmarkReviewManagedPolicies(b *testing.B) {
	text, err := os.ReadFile(filepath.Join(samplesDir, "../managed-policies/managed-policies.jsonl"))
	if err != nil {
		b.Skipf("managed policies: %v", err)
	}
	var docs [][]byte
	for _, line := range strings.Split(string(text), "\n") {
		var p struct {
			Document json.RawMessage `json:"document"`
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			b.Fatal(err)
		}
		docs = append(docs, p.Document)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			if _, err := ReviewPolicy(d, ""); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(docs)), "policies/op")
}
