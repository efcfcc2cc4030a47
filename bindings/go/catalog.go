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
// "action" | "expand" | "lint" | "summarize" | "review", ...} (see tests/README.md); the answer is JSON.
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
	return policyAnswer[LintReport]("lint", policy, policyType)
}

// LevelSummary is what a policy allows (or denies) of one service at one access level.
type LevelSummary struct {
	Level         string   `json:"level"`
	Actions       int      `json:"actions"`
	Total         int      `json:"total"`
	Resources     []string `json:"resources"`
	ConditionKeys []string `json:"conditionKeys"`
	Conditional   bool     `json:"conditional"`
}

// ServiceSummary is a policy's access to one service, as the IAM console summarizes it.
type ServiceSummary struct {
	Service string         `json:"service"`
	Name    string         `json:"name"`
	Access  string         `json:"access"`
	Allow   []LevelSummary `json:"allow"`
	Deny    []LevelSummary `json:"deny"`
}

// PolicySummary is a policy's access by service and access level.
type PolicySummary struct {
	Services        []ServiceSummary `json:"services"`
	UnknownServices []string         `json:"unknownServices"`
}

// SummarizePolicy summarizes a policy document (JSON) of the given type ("" for identity) by
// service and access level; a policy with errors is an error.
func SummarizePolicy(policy []byte, policyType string) (*PolicySummary, error) {
	return policyAnswer[PolicySummary]("summarize", policy, policyType)
}

// PolicyReview is a policy's lint report and summary; Summary is nil when the policy has errors.
type PolicyReview struct {
	Lint    LintReport     `json:"lint"`
	Summary *PolicySummary `json:"summary"`
}

// ReviewPolicy lints and summarizes a policy document (JSON) of the given type ("" for
// identity) in one reading: the answers of LintPolicy and SummarizePolicy together.
func ReviewPolicy(policy []byte, policyType string) (*PolicyReview, error) {
	return policyAnswer[PolicyReview]("review", policy, policyType)
}

// policyAnswer asks a catalog query about one policy (JSON, or text that is not JSON, which the
// core reports on) and decodes the answer.
func policyAnswer[T any](query string, policy []byte, policyType string) (*T, error) {
	q := map[string]interface{}{"query": query, "policy": json.RawMessage(policy)}
	if !json.Valid(policy) {
		q["policy"] = string(policy)
	}
	if policyType != "" {
		q["type"] = policyType
	}
	return catalogAnswer[*T](q)
}

// catalogAnswer asks one catalog query and decodes the answer as a T.
func catalogAnswer[T any](query map[string]interface{}) (T, error) {
	var answer T
	b, err := marshal(query)
	if err != nil {
		return answer, err
	}
	out, err := CatalogJSON(b)
	if err != nil {
		return answer, err
	}
	if err := json.Unmarshal(out, &answer); err != nil {
		return answer, internalError("cannot read iamkit's answer: %v", err)
	}
	return answer, nil
}

// ActionResource is a resource type an action acts on.
type ActionResource struct {
	Name          string   `json:"name"`
	Required      bool     `json:"required"`
	ARN           string   `json:"arn,omitempty"`
	ConditionKeys []string `json:"conditionKeys"`
}

// CatalogAction is an action as the catalog describes it.
type CatalogAction struct {
	Action        string           `json:"action"`
	Service       string           `json:"service"`
	Access        string           `json:"access"`
	Resources     []ActionResource `json:"resources"`
	ConditionKeys []string         `json:"conditionKeys"`
}

// LookupAction looks an action (service:Action, any case) up in the catalog; nil when the
// catalog does not list it.
func LookupAction(action string) (*CatalogAction, error) {
	return catalogAnswer[*CatalogAction](map[string]interface{}{"query": "action", "action": action})
}

// ActionMatch is an action a pattern covers.
type ActionMatch struct {
	Action string `json:"action"`
	Access string `json:"access"`
}

// ExpandActions lists the actions the patterns cover (or, notAction, every action they do not).
func ExpandActions(patterns []string, notAction bool) ([]ActionMatch, error) {
	return catalogAnswer[[]ActionMatch](map[string]interface{}{"query": "expand", "patterns": patterns, "notAction": notAction})
}
