package iamkit_test

import (
	"errors"
	"fmt"

	"iamkit.dev/iamkit"
)

func ExampleEvaluate() {
	policy := iamkit.Document(`{"Version": "2012-10-17", "Statement": [
		{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"}]}`)
	res, err := iamkit.Evaluate(iamkit.EvaluateInput{
		Request: iamkit.Request{
			Principal: "arn:aws:iam::111122223333:user/alice",
			Action:    "s3:GetObject",
			Resource:  "arn:aws:s3:::example-bucket/key",
		},
		Policies: &iamkit.Policies{Identity: []iamkit.Document{policy}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Decision, *res.Explain.GrantedBy, res.Allowed())
	// Output: allowed identity true
}

func ExampleError() {
	_, err := iamkit.NewPolicySetJSON([]byte(`{"identity": [{"Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
    "Condition": {"NumericLessThan": {"s3:max-keys": "ten"}}}}]}`))
	var e *iamkit.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.Location.JSONPath, *e.Location.Line)
	}
	// Output: IAM_POLICY_CONDITION_VALUE $.identity[0].Statement.Condition.NumericLessThan['s3:max-keys'] 3
}

func ExamplePolicySet_EvaluateBatch() {
	ps, err := iamkit.NewPolicySetJSON([]byte(`{"identity": [{"Version": "2012-10-17",
		"Statement": {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}}]}`))
	if err != nil {
		panic(err)
	}
	defer ps.Close()
	answers, err := ps.EvaluateBatch(iamkit.EvaluateBatchInput{Requests: []iamkit.Request{
		{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "*"},
		{Principal: "bob", Action: "s3:GetObject", Resource: "*"},
		{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:PutObject", Resource: "*"},
	}})
	if err != nil {
		panic(err)
	}
	for _, a := range answers {
		if a.Error != nil {
			fmt.Println("error", a.Error.Code, a.Error.Location.JSONPath)
			continue
		}
		fmt.Println(*a.Decision)
	}
	// Output:
	// allowed
	// error IAM_REQUEST_PRINCIPAL $.requests[1]
	// implicitDeny
}

func ExampleCallJSON() {
	out, err := iamkit.CallJSON("expandActions", []byte(`{"patterns": ["s3:?etObject"]}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(string(out))
	// Output: [{"action":"s3:GetObject","access":"Read"}]
}

func ExampleAccount_WhoCan() {
	a, err := iamkit.NewAccountJSON([]byte(`{"UserDetailList": [{"UserName": "alice", "UserId": "AIDAEXAMPLE",
		"Arn": "arn:aws:iam::111122223333:user/alice", "UserPolicyList": [{"PolicyName": "read",
		"PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}}]}]}`), nil, nil)
	if err != nil {
		panic(err)
	}
	defer a.Close()
	w, err := a.WhoCan(iamkit.WhoCanInput{Action: "s3:GetObject", Resource: "arn:aws:s3:::example-bucket/key"})
	if err != nil {
		panic(err)
	}
	for _, p := range w.Allowed {
		fmt.Println(p.Kind, p.Principal, p.Statements[0].Policy)
	}
	// Output: user arn:aws:iam::111122223333:user/alice arn:aws:iam::111122223333:user/alice inline policy read
}

func ExampleAccount_Principal() {
	a, err := iamkit.NewAccountJSON([]byte(`{"UserDetailList": [{"UserName": "alice", "UserId": "AIDAEXAMPLE",
		"Arn": "arn:aws:iam::111122223333:user/alice", "GroupList": ["devs"]}],
		"GroupDetailList": [{"GroupName": "devs", "Arn": "arn:aws:iam::111122223333:group/devs"}]}`), nil, nil)
	if err != nil {
		panic(err)
	}
	defer a.Close()
	p, err := a.Principal(iamkit.PrincipalInput{Principal: "user/alice"})
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Kind, p.Name, p.ID, p.Groups)
	// Output: user alice AIDAEXAMPLE [devs]
}
