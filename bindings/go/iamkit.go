// Package iamkit evaluates AWS IAM policies with the iamkit engine, through its C library.
//
// Every call speaks the wire contract (contract/iamkit.schema.json): contract.go, generated from
// it, holds every input and answer type and a typed function per call (Evaluate, Validate, Lint,
// Audit, ...; methods on *PolicySet and *Account for the calls on a handle). CallJSON, Open and
// (*Handle).CallJSON answer any call given as JSON text.
//
// Every error is an *Error with a stable Code (use errors.As). A denied request is not an error:
// it is an Evaluation whose Decision is DecisionExplicitDeny or DecisionImplicitDeny.
package iamkit

/*
#cgo CFLAGS: -I${SRCDIR}/../../include
#cgo LDFLAGS: -L${SRCDIR}/../../target/release -liamkit -Wl,-rpath,${SRCDIR}/../../target/release
#include <stdlib.h>
#include <string.h>
#include "iamkit.h"
*/
import "C"

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Version returns the version of the iamkit library, e.g. "0.1.0".
func Version() string {
	return C.GoString(C.iamkit_version())
}

// Error formats the error as "iamkit: CODE: message (at PATH, line L, column C)", leaving out
// what the location does not know.
func (e *Error) Error() string {
	if e == nil {
		return "iamkit: <nil>"
	}
	var b strings.Builder
	b.WriteString("iamkit: ")
	b.WriteString(string(e.Code))
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if l := e.Location; l != nil {
		var at []string
		if l.JSONPath != "" {
			at = append(at, l.JSONPath)
		}
		if l.Line != nil {
			at = append(at, fmt.Sprintf("line %d", *l.Line))
		}
		if l.Column != nil {
			at = append(at, fmt.Sprintf("column %d", *l.Column))
		}
		if len(at) > 0 {
			b.WriteString(" (at " + strings.Join(at, ", ") + ")")
		}
	}
	return b.String()
}

// Allowed reports whether the decision is DecisionAllowed.
func (d Decision) Allowed() bool { return d == DecisionAllowed }

// Allowed reports whether the decision is DecisionAllowed (false for a nil Evaluation).
func (e *Evaluation) Allowed() bool { return e != nil && e.Decision.Allowed() }

// TextDocument is a Document given as text (a policy file, a CSV credential report, the AWS CLI's
// output): a JSON string holding the text, which iamkit reads itself; error locations then point
// at lines and columns of the text. (A Document holding JSON is re-encoded by encoding/json,
// compactly, as part of its input: its locations are on that input's one line.) Bytes that are
// not UTF-8 are kept, so iamkit rejects them (IAM_INVALID_ARGUMENT) instead of reading
// replacement characters.
func TextDocument(text []byte) Document {
	const hex = "0123456789abcdef"
	out := make([]byte, 0, len(text)+2)
	out = append(out, '"')
	for _, c := range text {
		switch {
		case c == '"' || c == '\\':
			out = append(out, '\\', c)
		case c < 0x20:
			out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			out = append(out, c)
		}
	}
	return append(out, '"')
}

func invalidArgument(format string, args ...any) *Error {
	return &Error{Code: ErrorCodeIAMInvalidArgument, Message: fmt.Sprintf(format, args...)}
}

func errNilInput() *Error { return invalidArgument("the input is nil: give an object") }

func internalError(format string, args ...any) *Error {
	return &Error{Code: ErrorCodeIAMInternal, Message: fmt.Sprintf(format, args...)}
}

// cString copies b into a new NUL-terminated C string, to be released with C.free. Text holding
// a NUL byte cannot cross the C boundary and is rejected; what names the argument.
func cString(what string, b []byte) (*C.char, error) {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return nil, invalidArgument("the %s holds a NUL byte at offset %d", what, i)
	}
	p := C.malloc(C.size_t(len(b) + 1))
	buf := unsafe.Slice((*byte)(p), len(b)+1)
	copy(buf, b)
	buf[len(b)] = 0
	return (*C.char)(p), nil
}

// takeBytes copies a string returned by iamkit into Go memory and frees it (nil for NULL).
func takeBytes(p *C.char) []byte {
	if p == nil {
		return nil
	}
	b := make([]byte, C.strlen(p))
	copy(b, unsafe.Slice((*byte)(unsafe.Pointer(p)), len(b)))
	C.iamkit_string_free(p)
	return b
}

// outcome turns what a C call returned into the answer text or an *Error, and frees both strings.
func outcome(st C.enum_IamkitStatus, out, errJSON *C.char) ([]byte, error) {
	answer, failure := takeBytes(out), takeBytes(errJSON)
	if st != C.IAMKIT_STATUS_OK {
		return nil, readError(failure)
	}
	if answer == nil {
		return nil, internalError("iamkit succeeded without an answer")
	}
	return answer, nil
}

// readError reads the error JSON of a failed call.
func readError(text []byte) *Error {
	var e Error
	if err := json.Unmarshal(text, &e); err != nil || e.Code == "" {
		return internalError("iamkit returned an unreadable error: %q", text)
	}
	return &e
}

// encode gives the wire JSON of an input: []byte and json.RawMessage are JSON text and go as they
// are (iamkit reads them); any other value goes through encoding/json. A nil input, a value
// encoding/json cannot encode (a channel, a func, NaN, a cycle, an invalid json.RawMessage) and a
// string that is not UTF-8 (which encoding/json would silently replace) are invalid arguments.
func encode(in any) ([]byte, error) {
	switch v := in.(type) {
	case []byte:
		if v == nil {
			return nil, errNilInput()
		}
		return v, nil
	case json.RawMessage:
		if v == nil {
			return nil, errNilInput()
		}
		return v, nil
	}
	b, err := json.Marshal(in)
	if err != nil {
		return nil, invalidArgument("cannot encode the input as JSON: %v", err)
	}
	if string(b) == "null" {
		return nil, errNilInput()
	}
	// encoding/json writes a string's invalid UTF-8 as the escape \ufffd: look closer only then.
	if bytes.Contains(b, []byte(`\ufffd`)) && badUTF8(reflect.ValueOf(in)) {
		return nil, invalidArgument("the input holds a string that is not valid UTF-8")
	}
	return b, nil
}

var (
	jsonMarshaler = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
	textMarshaler = reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()
)

// badUTF8 reports whether a string encoding/json would write from v is not valid UTF-8. Values
// with their own MarshalJSON are left out: their text reaches iamkit as written, and iamkit
// rejects text that is not UTF-8 itself.
func badUTF8(v reflect.Value) bool {
	if !v.IsValid() {
		return false
	}
	t := v.Type()
	if t.Implements(jsonMarshaler) || v.CanAddr() && reflect.PointerTo(t).Implements(jsonMarshaler) {
		return false
	}
	if t.Implements(textMarshaler) && v.CanInterface() && (t.Kind() != reflect.Pointer || !v.IsNil()) {
		text, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		return err == nil && !utf8.Valid(text)
	}
	switch v.Kind() {
	case reflect.String:
		return !utf8.ValidString(v.String())
	case reflect.Pointer, reflect.Interface:
		return !v.IsNil() && badUTF8(v.Elem())
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := t.Field(i)
			if (f.IsExported() || f.Anonymous) && f.Tag.Get("json") != "-" && badUTF8(v.Field(i)) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return false // base64
		}
		for i := 0; i < v.Len(); i++ {
			if badUTF8(v.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if badUTF8(it.Key()) || badUTF8(it.Value()) {
				return true
			}
		}
	}
	return false
}

// decode reads an answer into T.
func decode[T any](answer []byte) (*T, error) {
	out := new(T)
	if err := json.Unmarshal(answer, out); err != nil {
		return nil, internalError("cannot read iamkit's answer: %v", err)
	}
	return out, nil
}

// call answers a call that needs no handle: in is encoded (see encode), the answer decoded into T.
func call[T any](name string, in any) (*T, error) {
	b, err := encode(in)
	if err != nil {
		return nil, err
	}
	answer, err := CallJSON(name, b)
	if err != nil {
		return nil, err
	}
	return decode[T](answer)
}

// CallJSON answers the call name that needs no handle ("evaluate", "validate", "lint", "audit",
// ...; see contract/iamkit.schema.json), given its input object as JSON text, and returns the
// answer as JSON text.
func CallJSON(name string, input []byte) ([]byte, error) {
	if input == nil {
		return nil, errNilInput()
	}
	cn, err := cString("call name", []byte(name))
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cn))
	ci, err := cString("input", input)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(ci))
	var out, errJSON *C.char
	st := C.iamkit_call(cn, ci, &out, &errJSON)
	return outcome(st, out, errJSON)
}
