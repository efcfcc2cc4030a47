package iamkit

import (
	"errors"
	"path/filepath"
	"testing"
)

// demoOrg is examples/demo-org (scripts/gen-demo-org.py writes it).
var demoOrg = filepath.Join("..", "..", "examples", "demo-org")

func byAccount(a *OrgAnswer) map[string]AccountResult {
	out := map[string]AccountResult{}
	for _, l := range a.Accounts {
		out[l.AccountID] = l
	}
	return out
}

func TestOrganizationAPI(t *testing.T) {
	o, err := OpenOrganization(demoOrg)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	members, err := o.Members()
	if err != nil || len(members) != 5 || members[1].ID != "222222222222" {
		t.Fatalf("members: %+v %v", members, err)
	}
	sum, err := o.Summary(OrgAccountsInput{})
	if err != nil {
		t.Fatal(err)
	}
	lines := byAccount(sum)
	if lines["222222222222"].Summary == nil || lines["222222222222"].Summary.Path != "Root/Workloads/Prod" {
		t.Errorf("prod: %+v", lines["222222222222"])
	}
	if e := lines["444444444444"].Error; e == nil || e.Code != "IAM_INPUT_JSON" {
		t.Errorf("broken: %+v", lines["444444444444"])
	}
	audit, err := o.Audit(OrgAuditInput{Options: &AuditOptions{AsOf: "2026-12-01T00:00:00Z"}, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	status := func(acct, check string) []Status {
		var s []Status
		for _, f := range byAccount(audit)[acct].Audit.Findings {
			if f.CheckID == check {
				s = append(s, f.Status)
			}
		}
		return s
	}
	if got := status("222222222222", "org-scp-denies-root"); len(got) != 1 || got[0] != "pass" {
		t.Errorf("prod's root: %v", got)
	}
	if got := status("333333333333", "org-scp-denies-root"); len(got) != 1 || got[0] != "fail" {
		t.Errorf("sandbox's root: %v", got)
	}
	deploy := "arn:aws:iam::222222222222:role/deploy"
	who, err := o.WhoCan(OrgWhoCanInput{Action: "sts:AssumeRole", Resource: deploy, Accounts: []string{"333333333333"}})
	if err != nil {
		t.Fatal(err)
	}
	if w := byAccount(who)["333333333333"].WhoCan; w == nil || len(w.Allowed) != 1 || w.Allowed[0].Principal != "arn:aws:iam::333333333333:user/dev" {
		t.Errorf("who can assume deploy: %+v", w)
	}
	blocked, err := o.WhoCan(OrgWhoCanInput{Action: "sts:AssumeRole", Resource: deploy, Accounts: []string{"333333333333"},
		Context: Context{"aws:PrincipalOrgID": "o-other"}})
	if err != nil || len(byAccount(blocked)["333333333333"].WhoCan.Allowed) != 0 {
		t.Errorf("the RCP lets another organization's caller in: %+v %v", blocked, err)
	}
	assume, err := o.Assume(OrgAccountsInput{})
	if err != nil || len(byAccount(assume)["333333333333"].Assume) != 1 {
		t.Errorf("assume: %+v %v", assume, err)
	}
}

func TestOrganizationErrors(t *testing.T) {
	var e *Error
	if _, err := OpenOrganization(filepath.Join(demoOrg, "nothing-here")); !errors.As(err, &e) || e.Code != "IAM_IO" {
		t.Errorf("a missing folder: %v", err)
	}
	if _, err := OpenOrganization(filepath.Join("..", "..", "examples", "demo-account")); !errors.As(err, &e) || e.Code != "IAM_ORG_DATA" {
		t.Errorf("a folder without organization data: %v", err)
	}
	o, err := OpenOrganization(demoOrg)
	if err != nil {
		t.Fatal(err)
	}
	o.Close()
	if _, err := o.Members(); !errors.As(err, &e) || e.Code != "IAM_INVALID_ARGUMENT" {
		t.Errorf("a closed organization: %v", err)
	}
	var nilOrg *Organization
	if _, err := nilOrg.Members(); !errors.As(err, &e) || e.Code != "IAM_INVALID_ARGUMENT" {
		t.Errorf("a nil organization: %v", err)
	}
}
