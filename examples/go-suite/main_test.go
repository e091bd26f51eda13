package gosuite

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// What `up` printed, read once by TestMain for every test (a Ginkgo suite hands the same bytes from process 1 to
// the others in SynchronizedBeforeSuite).
var (
	up     Result
	upJSON []byte
)

// The example runs on the simulated toolchain, so it runs anywhere (CI included) with nothing but Node; drop
// `--runtime sim` where kind and podman are installed to get a real cluster.
var runtimeArgs = []string{"--runtime", "sim"}

func TestMain(m *testing.M) { os.Exit(runSuite(m)) }

func runSuite(m *testing.M) int {
	// A private HOME and XDG folders: the kubeconfig, the CA file and the run outputs go there, and nothing is
	// left behind. The suite computes its kubeconfig path from HOME exactly as kubernaut's does.
	private, err := os.MkdirTemp("", "kubernaut-e2e-go-suite-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(private)
	for name, sub := range map[string]string{
		"HOME": "home", "XDG_STATE_HOME": "state", "XDG_CACHE_HOME": "cache", "XDG_CONFIG_HOME": "config", "XDG_DATA_HOME": "data",
	} {
		os.Setenv(name, filepath.Join(private, sub))
	}

	wd, _ := os.Getwd()
	cli, err := FindCLI(wd, os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// Ctrl-C reaches the CLI too (one process group): it cleans up what it made and prints an interrupted result.
	// Catching the interrupt here keeps this process alive to read that result and remove its private folder; the
	// interrupt also ends the setup's context, so Run stops the CLI when the signal was sent to this process only.
	// A second interrupt stops this process at once, as in Ginkgo.
	interrupted, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stopSignals()
	go func() {
		<-interrupted.Done()
		stopSignals()
	}()
	ctx, cancel := context.WithTimeout(interrupted, 20*time.Minute)
	defer cancel()

	up, upJSON, err = cli.Run(ctx, append([]string{"up", "gateway"}, runtimeArgs...)...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if interrupted.Err() != nil {
		// Interrupted as up finished: tear down instead of testing.
		return tearDownOrReport(cli, 1)
	}
	fmt.Printf("up gateway (%s, predicted: %v): run %s, cluster %s, kubeconfig %s, CA %s, %d endpoints, %d images\n",
		up.Runtime, up.Predicted, up.RunID, up.Cluster.Name, up.Cluster.Kubeconfig, up.CAFile, len(up.Endpoints), len(up.Images))

	return tearDownOrReport(cli, m.Run())
}

// tearDownOrReport runs down, however the tests ended (even after an interrupt: with a context of its own), and
// returns the exit code: the tests', or 1 when down failed.
func tearDownOrReport(cli CLI, code int) int {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := tearDown(ctx, cli); err != nil {
		fmt.Fprintln(os.Stderr, "teardown:", err)
		return 1
	}
	return code
}

// tearDown runs `down` and checks that it removed what `up` made: the CA file is gone.
func tearDown(ctx context.Context, cli CLI) error {
	down, _, err := cli.Run(ctx, append([]string{"down", "gateway"}, runtimeArgs...)...)
	if err != nil {
		return err
	}
	if down.Command != "down" || down.Cluster.Name != up.Cluster.Name {
		return fmt.Errorf("down answered for %q cluster %q; expected down of %q", down.Command, down.Cluster.Name, up.Cluster.Name)
	}
	removedCA := false
	for _, r := range down.Removed {
		removedCA = removedCA || (r.Kind == "ca-file" && r.Name == up.CAFile)
	}
	if !removedCA {
		return fmt.Errorf("down did not report removing the CA file %s: removed %+v", up.CAFile, down.Removed)
	}
	if _, err := os.Stat(up.CAFile); !os.IsNotExist(err) {
		return fmt.Errorf("the CA file %s is still there after down (stat: %v)", up.CAFile, err)
	}
	fmt.Printf("down gateway: removed %d item(s), the CA file %s is gone\n", len(down.Removed), up.CAFile)
	return nil
}
