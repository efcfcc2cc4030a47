package iamkit

import (
	"encoding/json"
	"os"
	"testing"
	"time"
)

// benchFixture is bench/fixture.json: the prepared policy set and the request every language's
// benchmark uses, so their per-call costs compare like for like.
func benchFixture(b *testing.B) (*PolicySet, Request) {
	b.Helper()
	text, err := os.ReadFile("../../bench/fixture.json")
	if err != nil {
		b.Fatal(err)
	}
	var f struct {
		Policies Policies `json:"policies"`
		Request  Request  `json:"request"`
	}
	if err := json.Unmarshal(text, &f); err != nil {
		b.Fatal(err)
	}
	ps, err := NewPolicySet(f.Policies)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ps.Close() })
	if res, err := ps.Evaluate(f.Request); err != nil || !res.Allowed() {
		b.Fatalf("the fixture's request: %+v, %v", res, err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	return ps, f.Request
}

// BenchmarkPolicySetEvaluate: one request, typed in and out, with its explanation.
func BenchmarkPolicySetEvaluate(b *testing.B) {
	ps, r := benchFixture(b)
	for i := 0; i < b.N; i++ {
		if _, err := ps.Evaluate(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPolicySetDecide: one request, the decision only.
func BenchmarkPolicySetDecide(b *testing.B) {
	ps, r := benchFixture(b)
	for i := 0; i < b.N; i++ {
		if _, err := ps.Decide(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPolicySetEvaluateJSON: one request as JSON text in, JSON text out (no encoding/json).
func BenchmarkPolicySetEvaluateJSON(b *testing.B) {
	ps, r := benchFixture(b)
	text, _ := json.Marshal(r)
	for i := 0; i < b.N; i++ {
		if _, err := ps.CallJSON("evaluate", text); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPolicySetEvaluateBatch: 1000 requests per call; see requests/s.
func BenchmarkPolicySetEvaluateBatch(b *testing.B) {
	ps, r := benchFixture(b)
	in := EvaluateBatchInput{Requests: make([]Request, 1000)}
	for i := range in.Requests {
		in.Requests[i] = r
	}
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if out, err := ps.EvaluateBatch(in); err != nil || len(out) != len(in.Requests) {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(in.Requests))/time.Since(start).Seconds(), "requests/s")
}
