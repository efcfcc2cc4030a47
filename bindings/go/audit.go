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

// AuditOptions are the audit's thresholds and reference instant; zero values take the defaults
// (45, 90, 90, 14, 24, 90; AsOf: the report's GeneratedTime, else now).
type AuditOptions struct {
	AsOf              string `json:"asOf,omitempty"`
	UnusedDays        int    `json:"unusedDays,omitempty"`
	RotationDays      int    `json:"rotationDays,omitempty"`
	RootUseDays       int    `json:"rootUseDays,omitempty"`
	MinPasswordLength int    `json:"minPasswordLength,omitempty"`
	PasswordReuse     int    `json:"passwordReuse,omitempty"`
	MaxPasswordAge    int    `json:"maxPasswordAge,omitempty"`
}

// AuditInputs are the audit's inputs, each the raw output of the AWS CLI (JSON), or for the
// credential report the CSV itself; every one is optional (checks without theirs are
// "notEvaluated").
type AuditInputs struct {
	CredentialReport       []byte
	AuthorizationDetails   []byte
	ManagedPolicyDocuments map[string]json.RawMessage
	PasswordPolicy         []byte
	AccountSummary         []byte
	VirtualMFADevices      []byte
	Options                AuditOptions
}

// Finding is one audit finding.
type Finding struct {
	CheckID  string `json:"checkId"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	// Status is "fail", "pass" or "notEvaluated".
	Status   string `json:"status"`
	Resource struct {
		ARN  string `json:"arn"`
		Slot string `json:"slot,omitempty"`
	} `json:"resource"`
	Evidence    map[string]interface{} `json:"evidence"`
	Reason      string                 `json:"reason"`
	Remediation struct {
		Text string `json:"text"`
		CLI  string `json:"cli,omitempty"`
	} `json:"remediation"`
	Compliance map[string][]string `json:"compliance"`
}

// AuditReport is the audit's answer.
type AuditReport struct {
	AsOf                string `json:"asOf"`
	AsOfSource          string `json:"asOfSource"`
	ReportGeneratedTime string `json:"reportGeneratedTime,omitempty"`
	AccountID           string `json:"accountId,omitempty"`
	Summary             struct {
		Fail             int            `json:"fail"`
		Pass             int            `json:"pass"`
		NotEvaluated     int            `json:"notEvaluated"`
		FailedBySeverity map[string]int `json:"failedBySeverity"`
	} `json:"summary"`
	Findings []Finding `json:"findings"`
}

func rawDoc(b []byte) json.RawMessage {
	if len(b) == 0 {
		return nil
	}
	if json.Valid(b) {
		var v interface{}
		if json.Unmarshal(b, &v) == nil {
			if _, ok := v.(map[string]interface{}); ok {
				return json.RawMessage(b)
			}
		}
	}
	s, _ := json.Marshal(string(b))
	return s
}

// Audit runs every check over the inputs.
func Audit(in AuditInputs) (*AuditReport, error) {
	wire := map[string]interface{}{"options": in.Options}
	for key, doc := range map[string][]byte{
		"credentialReport":     in.CredentialReport,
		"authorizationDetails": in.AuthorizationDetails,
		"passwordPolicy":       in.PasswordPolicy,
		"accountSummary":       in.AccountSummary,
		"virtualMfaDevices":    in.VirtualMFADevices,
	} {
		if r := rawDoc(doc); r != nil {
			wire[key] = r
		}
	}
	if in.ManagedPolicyDocuments != nil {
		wire["managedPolicyDocuments"] = in.ManagedPolicyDocuments
	}
	b, err := marshal(wire)
	if err != nil {
		return nil, err
	}
	out, err := AuditJSON(b)
	if err != nil {
		return nil, err
	}
	var r AuditReport
	if err := json.Unmarshal(out, &r); err != nil {
		return nil, internalError("cannot read iamkit's answer: %v", err)
	}
	return &r, nil
}

// AuditJSON runs the audit over inputs given as JSON (see tests/README.md) and returns the report
// as JSON (the entry point shared with C).
func AuditJSON(inputsJSON []byte) ([]byte, error) {
	cs, err := cString(inputsJSON)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cs))
	return call(func(out, errJSON **C.char) C.enum_IamkitStatus {
		return C.iamkit_audit_json(cs, out, errJSON)
	})
}

// ParseCredentialReport parses a credential report (CSV, or the get-credential-report JSON) and
// returns its typed rows as JSON: {"generatedTime"?, "rows": [...]}, special values (N/A,
// not_supported, no_information) kept as text.
func ParseCredentialReport(report []byte) ([]byte, error) {
	cs, err := cString(report)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cs))
	return call(func(out, errJSON **C.char) C.enum_IamkitStatus {
		return C.iamkit_credential_report_json(cs, out, errJSON)
	})
}
