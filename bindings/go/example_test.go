package iamkit_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"iamkit.dev/iamkit"
)

func ExampleEvaluate() {
	policy := json.RawMessage(`{"Version": "2012-10-17", "Statement": [
		{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"}]}`)
	res, err := iamkit.Evaluate(iamkit.Request{
		Principal: "arn:aws:iam::111122223333:user/alice",
		Action:    "s3:GetObject",
		Resource:  "arn:aws:s3:::example-bucket/key",
	}, iamkit.Policies{Identity: []json.RawMessage{policy}})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Decision, res.Explain.GrantedBy)
	// Output: allowed identity
}

func ExampleError() {
	_, err := iamkit.Evaluate(iamkit.Request{Principal: "alice", Action: "s3:GetObject", Resource: "*"}, iamkit.Policies{})
	var e *iamkit.Error
	if errors.As(err, &e) {
		fmt.Println(e.Status, e.Code)
	}
	// Output: 2 IAM_REQUEST_PRINCIPAL
}

func ExamplePolicySet_EvaluateBatch() {
	ps, err := iamkit.NewPolicySetJSON([]byte(`{"identity": [{"Version": "2012-10-17",
		"Statement": {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}}]}`))
	if err != nil {
		panic(err)
	}
	defer ps.Close()
	results, err := ps.EvaluateBatch([]iamkit.Request{
		{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "*"},
		{Principal: "bob", Action: "s3:GetObject", Resource: "*"},
		{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:PutObject", Resource: "*"},
	})
	if err != nil {
		panic(err)
	}
	for _, r := range results {
		if r.Err != nil {
			fmt.Println("error", r.Err.Code)
			continue
		}
		fmt.Println(r.Result.Decision)
	}
	// Output:
	// allowed
	// error IAM_REQUEST_PRINCIPAL
	// implicitDeny
}
