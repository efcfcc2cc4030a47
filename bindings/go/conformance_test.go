package iamkit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// conformance runs `$IAMKIT_CONFORMANCE args...`, or `cargo run -q -p iamkit-conformance -- args...`.
func conformance(args ...string) *exec.Cmd {
	if tool := os.Getenv("IAMKIT_CONFORMANCE"); tool != "" {
		return exec.Command(tool, args...)
	}
	cmd := exec.Command("cargo", append([]string{"run", "-q", "-p", "iamkit-conformance", "--"}, args...)...)
	cmd.Dir = "../.."
	return cmd
}

// TestConformance answers the corpus's call stream through Open, CallJSON and (*Handle).CallJSON,
// and has iamkit-conformance check the answers.
func TestConformance(t *testing.T) {
	stream, err := conformance("emit").Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("iamkit-conformance emit: %v\n%s", err, exit.Stderr)
		}
		t.Fatalf("iamkit-conformance emit: %v", err)
	}
	handles, openErrs := map[string]*Handle{}, map[string]error{}
	var answers bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(stream))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var line struct {
			Open, Kind, On, Call string
			ID                   json.RawMessage
			Input                json.RawMessage
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("stream line %q: %v", sc.Text(), err)
		}
		if line.Open != "" {
			handles[line.Open], openErrs[line.Open] = Open(line.Kind, line.Input)
			continue
		}
		var answer []byte
		switch h := handles[line.On]; {
		case line.On == "":
			answer, err = CallJSON(line.Call, line.Input)
		case h == nil:
			err = openErrs[line.On]
		default:
			answer, err = h.CallJSON(line.Call, line.Input)
		}
		out := map[string]any{"id": line.ID, "answer": json.RawMessage(answer)}
		var e *Error
		if errors.As(err, &e) {
			out = map[string]any{"id": line.ID, "error": e}
		} else if err != nil {
			t.Fatalf("not an *Error: %T %v", err, err)
		}
		b, _ := json.Marshal(out)
		answers.Write(append(b, '\n'))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, h := range handles {
		h.Close()
	}
	file := filepath.Join(t.TempDir(), "go-answers.jsonl")
	if err := os.WriteFile(file, answers.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	report, err := conformance("check", "--label", "go", file).CombinedOutput()
	if err != nil {
		t.Fatalf("iamkit-conformance check: %v\n%s", err, report)
	}
	lines := strings.Split(strings.TrimSpace(string(report)), "\n")
	t.Log(lines[len(lines)-1])
}
