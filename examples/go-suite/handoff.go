// Package gosuite shows how a Go test suite uses kubernaut-e2e: run `kubernaut-e2e up <service> --json` once, read
// the run result it prints (docs/reference/run-result.md), and run `down` at the end. Standard library only; copy
// this file into a suite (a Ginkgo suite calls the same functions from SynchronizedBeforeSuite, see
// docs/guide/go-suites.md).
package gosuite

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// SchemaVersion is the run-result version this code reads. kubernaut-e2e changes it only when a field changes
// meaning or goes away; new fields may appear within a version.
const SchemaVersion = 1

// Result is the run result of `up` or `down` (`--json`), with the fields a suite reads.
type Result struct {
	SchemaVersion int    `json:"schemaVersion"`
	Command       string `json:"command"`
	OK            bool   `json:"ok"`
	Service       string `json:"service"`
	RunID         string `json:"runId"`
	Runtime       string `json:"runtime"`
	Cluster       struct {
		Name       string `json:"name"`
		Kubeconfig string `json:"kubeconfig"`
		Context    string `json:"context"`
	} `json:"cluster"`
	Namespace string `json:"namespace"`
	// CAFile is the run's CA, beside the kubeconfig: trust it to call the https:// endpoints.
	CAFile    string            `json:"caFile"`
	Endpoints map[string]string `json:"endpoints"`
	Images    map[string]string `json:"images"`
	OutputDir string            `json:"outputDir"`
	// Interrupted is true when an interrupt stopped `up` (ok is false then).
	Interrupted bool `json:"interrupted"`
	// Predicted is true on the simulated toolchain: no cluster exists, and the times are a model's.
	Predicted bool `json:"predicted"`
	// Error is set when ok is false.
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Step    string `json:"step"`
	} `json:"error"`
	// Removed is what `down` removed.
	Removed []struct {
		Kind string `json:"kind"`
		Name string `json:"name"`
	} `json:"removed"`
}

// required lists the fields the schema requires, by command and outcome.
func required(command string, ok bool) []string {
	common := []string{"schemaVersion", "command", "ok", "service"}
	switch {
	case command == "down":
		return append(common, "cluster", "removed")
	case ok:
		return append(common, "runId", "runtime", "pattern", "cluster", "namespace", "endpoints", "images",
			"outputDir", "makespanMs", "predicted")
	default:
		return append(common, "interrupted", "error", "causes", "leftRunning")
	}
}

// Parse reads a run result, refusing another schema version and a result without a field the schema requires.
func Parse(data []byte) (Result, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return Result{}, fmt.Errorf("the run result is not a JSON object: %w", err)
	}
	var head struct {
		SchemaVersion *int   `json:"schemaVersion"`
		Command       string `json:"command"`
		OK            bool   `json:"ok"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return Result{}, fmt.Errorf("the run result: %w", err)
	}
	if head.SchemaVersion == nil || *head.SchemaVersion != SchemaVersion {
		return Result{}, fmt.Errorf("the run result has schemaVersion %s; this suite reads version %d (docs/reference/run-result.md)",
			string(fields["schemaVersion"]), SchemaVersion)
	}
	var missing []string
	for _, name := range required(head.Command, head.OK) {
		if _, ok := fields[name]; !ok {
			missing = append(missing, name)
		}
	}
	var result Result
	if err := json.Unmarshal(data, &result); err != nil {
		return Result{}, fmt.Errorf("the run result: %w", err)
	}
	if _, ok := fields["cluster"]; ok && (result.Cluster.Name == "" || result.Cluster.Kubeconfig == "") {
		missing = append(missing, "cluster.name and cluster.kubeconfig")
	}
	if len(missing) > 0 {
		return Result{}, fmt.Errorf("the %s result lacks %s", head.Command, strings.Join(missing, ", "))
	}
	return result, nil
}

// CLI is how to run kubernaut-e2e: a program and the arguments before the command's own.
type CLI struct {
	Path string
	Args []string
}

// FindCLI finds kubernaut-e2e: the KUBERNAUT_E2E_BIN environment variable (a program, or a .js file run with node),
// else the nearest node_modules/.bin/kubernaut-e2e from dir up (where `npm install` puts it in a checkout), else
// kubernaut-e2e on PATH.
func FindCLI(dir string, getenv func(string) string) (CLI, error) {
	if bin := getenv("KUBERNAUT_E2E_BIN"); bin != "" {
		if strings.HasSuffix(bin, ".js") {
			return CLI{Path: "node", Args: []string{bin}}, nil
		}
		return CLI{Path: bin}, nil
	}
	for d := dir; ; d = filepath.Dir(d) {
		candidate := filepath.Join(d, "node_modules", ".bin", "kubernaut-e2e")
		if info, err := os.Stat(candidate); err == nil && !info.IsDir() {
			return CLI{Path: candidate}, nil
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if path, err := exec.LookPath("kubernaut-e2e"); err == nil {
		return CLI{Path: path}, nil
	}
	return CLI{}, fmt.Errorf("kubernaut-e2e not found: set KUBERNAUT_E2E_BIN, or run `npm install` where "+
		"`kubernaut-e2e init` wrote package.json (node_modules/.bin/kubernaut-e2e above %s)", dir)
}

// Run runs `kubernaut-e2e <args…> --json` and reads the result it prints, also when the command failed (a failed
// `up` prints the error code, the failed step and what it left running). When ctx ends first, the CLI gets an
// interrupt (SIGINT), cleans up what it created and prints an interrupted result; it is killed only if it has not
// exited a grace period later. Progress goes to stderr, whose tail comes with an error.
func (c CLI) Run(ctx context.Context, args ...string) (Result, []byte, error) {
	cmd := exec.Command(c.Path, append(append(append([]string{}, c.Args...), args...), "--json")...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		return Result{}, nil, fmt.Errorf("kubernaut-e2e %s: %w", strings.Join(args, " "), err)
	}
	exited := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			_ = cmd.Process.Signal(os.Interrupt)
			select {
			case <-exited:
			case <-time.After(InterruptGrace):
				_ = cmd.Process.Kill()
			}
		case <-exited:
		}
	}()
	runErr := cmd.Wait()
	close(exited)

	result, parseErr := Parse(stdout.Bytes())
	switch {
	case parseErr != nil && runErr != nil:
		return result, stdout.Bytes(), fmt.Errorf("kubernaut-e2e %s: %v\n%s", strings.Join(args, " "), runErr, tail(stderr.String()))
	case parseErr != nil:
		return result, stdout.Bytes(), parseErr
	case !result.OK || runErr != nil:
		message := fmt.Sprint(runErr)
		if result.Error != nil {
			message = fmt.Sprintf("[%s] %s", result.Error.Code, result.Error.Message)
		}
		return result, stdout.Bytes(), fmt.Errorf("kubernaut-e2e %s failed: %s\n%s", strings.Join(args, " "), message, tail(stderr.String()))
	}
	return result, stdout.Bytes(), nil
}

// InterruptGrace is how long Run waits, after interrupting the CLI, for it to clean up and exit.
var InterruptGrace = 2 * time.Minute

// tail is the last lines of a command's stderr, for an error message.
func tail(text string) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	return strings.Join(lines, "\n")
}
