package gosuite

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// The real result `up` printed, with one change.
func edited(t *testing.T, edit func(map[string]any)) []byte {
	t.Helper()
	var fields map[string]any
	if err := json.Unmarshal(upJSON, &fields); err != nil {
		t.Fatal(err)
	}
	edit(fields)
	data, err := json.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseRefusesAnotherSchemaVersion(t *testing.T) {
	_, err := Parse(edited(t, func(f map[string]any) { f["schemaVersion"] = 2 }))
	if err == nil || !strings.Contains(err.Error(), "schemaVersion 2") {
		t.Fatalf("expected a refusal naming schemaVersion 2, got %v", err)
	}
}

func TestParseRefusesAResultWithoutARequiredField(t *testing.T) {
	for _, field := range []string{"runId", "cluster", "namespace", "endpoints", "images", "outputDir", "predicted"} {
		_, err := Parse(edited(t, func(f map[string]any) { delete(f, field) }))
		if err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("without %s: expected a refusal naming it, got %v", field, err)
		}
	}
	_, err := Parse(edited(t, func(f map[string]any) { f["cluster"] = map[string]any{"name": "gateway-e2e"} }))
	if err == nil || !strings.Contains(err.Error(), "cluster.kubeconfig") {
		t.Errorf("without cluster.kubeconfig: expected a refusal naming it, got %v", err)
	}
}

func TestFindCLI(t *testing.T) {
	t.Setenv("PATH", "")
	root := t.TempDir()
	nested := filepath.Join(root, "test", "e2e", "gateway")
	if err := os.MkdirAll(nested, 0o755); err != nil {
		t.Fatal(err)
	}
	none := func(string) string { return "" }
	if _, err := FindCLI(nested, none); err == nil || !strings.Contains(err.Error(), "KUBERNAUT_E2E_BIN") {
		t.Errorf("with nothing installed: expected an error saying what to do, got %v", err)
	}

	bin := filepath.Join(root, "node_modules", ".bin", "kubernaut-e2e")
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if cli, err := FindCLI(nested, none); err != nil || cli.Path != bin {
		t.Errorf("from a suite's folder: expected %s, got %+v (%v)", bin, cli, err)
	}

	env := func(name string) string {
		if name == "KUBERNAUT_E2E_BIN" {
			return "/opt/kubernaut-e2e/dist/bin.js"
		}
		return ""
	}
	if cli, err := FindCLI(nested, env); err != nil || cli.Path != "node" || len(cli.Args) != 1 || cli.Args[0] != "/opt/kubernaut-e2e/dist/bin.js" {
		t.Errorf("KUBERNAUT_E2E_BIN=<file>.js: expected node <file>.js, got %+v (%v)", cli, err)
	}
}

// A stand-in CLI that announces it has started, then waits to be interrupted and answers as the real one does.
const interruptible = `#!/bin/sh
sleep 600 >/dev/null 2>&1 &
child=$!
trap 'kill $child; echo "{\"schemaVersion\":1,\"command\":\"up\",\"ok\":false,\"service\":\"gateway\",\"interrupted\":true,\"error\":{\"code\":\"KE_CANCELLED\",\"message\":\"interrupted\"},\"causes\":[],\"leftRunning\":[]}"; exit 130' INT
echo started > "$READY"
wait $child
`

func TestRunInterruptsTheCLIWhenTheContextEnds(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "kubernaut-e2e")
	if err := os.WriteFile(script, []byte(interruptible), 0o755); err != nil {
		t.Fatal(err)
	}
	ready := filepath.Join(dir, "ready")
	if err := syscall.Mkfifo(ready, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("READY", ready)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		// Opening the pipe blocks until the script writes to it: then it is running, with its trap set.
		if f, err := os.Open(ready); err == nil {
			_, _ = io.ReadAll(f)
			f.Close()
		}
		cancel()
	}()

	result, _, err := CLI{Path: script}.Run(ctx, "up", "gateway")
	if err == nil || !strings.Contains(err.Error(), "KE_CANCELLED") {
		t.Errorf("expected the interrupted result's error, got %v", err)
	}
	if !result.Interrupted || result.OK {
		t.Errorf("expected the result the CLI printed when interrupted, got %+v", result)
	}
}
