//go:build iamkit_test_panic

package iamkit

/*
#cgo CFLAGS: -DIAMKIT_TEST_PANIC
#include "iamkit.h"
*/
import "C"

// testPanic calls the test-only export that panics inside iamkit's guard; it must come back as
// an *Error with code IAM_INTERNAL.
func testPanic() error {
	var errJSON *C.char
	st := C.iamkit_test_panic(&errJSON)
	if st == C.IAMKIT_STATUS_OK {
		return nil
	}
	return readError(takeBytes(errJSON))
}
