//go:build iamkit_test_panic

package iamkit

/*
#cgo CFLAGS: -DIAMKIT_TEST_PANIC
#include "iamkit.h"
*/
import "C"

// testPanic calls the test-only export that panics inside iamkit's guard; it must come back
// as an *Error with Status 3 and Code "IAM_INTERNAL".
func testPanic() error {
	_, err := call(func(_, errJSON **C.char) C.enum_IamkitStatus {
		return C.iamkit_test_panic(errJSON)
	})
	return err
}
