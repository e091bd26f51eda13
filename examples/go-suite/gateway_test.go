package gosuite

import (
	"crypto/x509"
	"encoding/pem"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// What kubernaut's gateway suite uses, read from kubernaut at d5a4a870967312d98dbc302ac2ae3505087bfcb0:
// test/e2e/gateway/gateway_e2e_suite_test.go:108-111 (cluster gateway-e2e, kubeconfig $HOME/.kube/gateway-e2e-config),
// :217-220 (gateway 8080, health 28080, metrics 9090, namespace kubernaut-system),
// test/e2e/gateway/15_audit_trace_validation_test.go:97 (DataStorage https 18091),
// test/infrastructure/interservice_tls.go:46 (the CA is inter-service-ca.pem beside the kubeconfig).
const (
	suiteCluster   = "gateway-e2e"
	suiteNamespace = "kubernaut-system"
)

func TestTheResultIsTheGatewaysRun(t *testing.T) {
	if up.Command != "up" || !up.OK || up.Service != "gateway" {
		t.Fatalf("expected a successful up of gateway, got command %q ok %v service %q", up.Command, up.OK, up.Service)
	}
	if up.Namespace != suiteNamespace {
		t.Errorf("namespace %q; the gateway suite works in %q", up.Namespace, suiteNamespace)
	}
	if up.RunID == "" {
		t.Error("no run id")
	}
}

func TestClusterAndKubeconfigAreWhereTheGatewaySuiteLooks(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil {
		t.Fatal(err)
	}
	if up.Cluster.Name != suiteCluster {
		t.Errorf("cluster %q; the gateway suite looks for %q", up.Cluster.Name, suiteCluster)
	}
	if want := filepath.Join(home, ".kube", "gateway-e2e-config"); up.Cluster.Kubeconfig != want {
		t.Errorf("kubeconfig %s; the gateway suite reads %s", up.Cluster.Kubeconfig, want)
	}
	if !up.Predicted {
		// A real cluster: the kubeconfig is there to read.
		if _, err := os.Stat(up.Cluster.Kubeconfig); err != nil {
			t.Errorf("kubeconfig: %v", err)
		}
	}
}

func TestTheCAFileIsACABesideTheKubeconfig(t *testing.T) {
	if want := filepath.Join(filepath.Dir(up.Cluster.Kubeconfig), "inter-service-ca.pem"); up.CAFile != want {
		t.Errorf("CA file %s; kubernaut's suites read %s", up.CAFile, want)
	}
	data, err := os.ReadFile(up.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatalf("%s holds no PEM certificate", up.CAFile)
	}
	ca, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !ca.IsCA || !ca.BasicConstraintsValid || ca.KeyUsage&x509.KeyUsageCertSign == 0 {
		t.Errorf("%s is not a CA certificate (IsCA %v, key usage %v)", up.CAFile, ca.IsCA, ca.KeyUsage)
	}
	if err := ca.CheckSignatureFrom(ca); err != nil {
		t.Errorf("the CA is not self-signed: %v", err)
	}
	if pool := x509.NewCertPool(); !pool.AppendCertsFromPEM(data) {
		t.Error("the CA file does not load into a certificate pool")
	}
	t.Logf("CA %q, valid until %s", ca.Subject.CommonName, ca.NotAfter.Format("2006-01-02"))
}

func TestTheEndpointsTheGatewaySuiteCalls(t *testing.T) {
	for name, want := range map[string]struct{ scheme, port string }{
		"gatewayUrl":        {"http", "8080"},
		"gatewayHealthUrl":  {"http", "28080"},
		"gatewayMetricsUrl": {"http", "9090"},
		"dataStorageUrl":    {"https", "18091"},
	} {
		raw, ok := up.Endpoints[name]
		if !ok {
			t.Errorf("no endpoint %s among %v", name, up.Endpoints)
			continue
		}
		u, err := url.Parse(raw)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if u.Scheme != want.scheme || u.Port() != want.port || (u.Hostname() != "localhost" && u.Hostname() != "127.0.0.1") {
			t.Errorf("%s = %s; the gateway suite calls %s://127.0.0.1:%s", name, raw, want.scheme, want.port)
		}
		t.Logf("%s = %s", name, raw)
	}
}

func TestTheGatewayImageIsNamed(t *testing.T) {
	if ref := up.Images["gateway"]; ref == "" {
		t.Errorf("no gateway image among %v", up.Images)
	}
}
