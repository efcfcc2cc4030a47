package iamkit

/*
#include <stdlib.h>
#include "iamkit.h"
*/
import "C"

import (
	"encoding/json"
	"unsafe"
)

// CatalogJSON answers one query on the AWS service catalog iamkit embeds: {"query": "source" |
// "action" | "expand" | "lint" | "summarize", ...} (see tests/README.md); the answer is JSON.
func CatalogJSON(queryJSON []byte) ([]byte, error) {
	cs, err := cString(queryJSON)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cs))
	return call(func(out, errJSON **C.char) C.enum_IamkitStatus {
		return C.iamkit_catalog_json(cs, out, errJSON)
	})
}

// LintFinding is one linter finding.
type LintFinding struct {
	Code     string   `json:"code"`
	Severity string   `json:"severity"`
	Message  string   `json:"message"`
	Location Location `json:"location"`
	Fix      string   `json:"fix,omitempty"`
}

// LintReport is the linter's answer for one policy.
type LintReport struct {
	Valid    bool          `json:"valid"`
	Findings []LintFinding `json:"findings"`
}

// LintPolicy lints a policy document (JSON) of the given type ("" for identity) against the
// catalog, on top of the validator.
func LintPolicy(policy []byte, policyType string) (*LintReport, error) {
	q := map[string]interface{}{"query": "lint", "policy": json.RawMessage(policy)}
	if !json.Valid(policy) {
		q["policy"] = string(policy)
	}
	if policyType != "" {
		q["type"] = policyType
	}
	b, err := marshal(q)
	if err != nil {
		return nil, err
	}
	out, err := CatalogJSON(b)
	if err != nil {
		return nil, err
	}
	var r LintReport
	if err := json.Unmarshal(out, &r); err != nil {
		return nil, internalError("cannot read iamkit's answer: %v", err)
	}
	return &r, nil
}

// ActionMatch is an action a pattern covers.
type ActionMatch struct {
	Action string `json:"action"`
	Access string `json:"access"`
}

// ExpandActions lists the actions the patterns cover (or, notAction, every action they do not).
func ExpandActions(patterns []string, notAction bool) ([]ActionMatch, error) {
	b, err := marshal(map[string]interface{}{"query": "expand", "patterns": patterns, "notAction": notAction})
	if err != nil {
		return nil, err
	}
	out, err := CatalogJSON(b)
	if err != nil {
		return nil, err
	}
	var m []ActionMatch
	if err := json.Unmarshal(out, &m); err != nil {
		return nil, internalError("cannot read iamkit's answer: %v", err)
	}
	return m, nil
}
