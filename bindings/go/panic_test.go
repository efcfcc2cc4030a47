//go:build iamkit_test_panic

package iamkit

import (
	"errors"
	"testing"
)

func TestPanicGuard(t *testing.T) {
	err := testPanic()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want *Error, got %T %v", err, err)
	}
	if e.Code != ErrorCodeIAMInternal || e.Message == "" {
		t.Fatalf("want IAM_INTERNAL, got %+v", e)
	}
	// The library still works after a caught panic.
	if Version() == "" {
		t.Fatal("empty version after a panic")
	}
	if _, err := Validate(ValidateInput{Policy: identityPolicy}); err != nil {
		t.Fatal(err)
	}
}
