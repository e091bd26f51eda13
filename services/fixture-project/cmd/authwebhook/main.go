// Command authwebhook is the fixture's auth webhook, started as kubernaut's is: -config names its YAML configuration
// file (default /etc/authwebhook/config.yaml), which must exist. It serves its webhooks over HTTPS on webhook.port
// (9443) with the tls.crt and tls.key it requires in webhook.certDir, and /healthz and /readyz on
// webhook.healthProbeAddr (:8081); its metrics are off, as kubernaut's are.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"

	"github.com/jordigilh/kubernaut/pkg/authwebhook/handlers"
	"github.com/jordigilh/kubernaut/pkg/shared/config"
	"github.com/jordigilh/kubernaut/pkg/shared/server"
)

func main() {
	configPath := flag.String("config", "/etc/authwebhook/config.yaml", "path to the YAML configuration file")
	flag.Parse()
	if err := run(*configPath); err != nil {
		log.Printf("authwebhook: %v", err)
		os.Exit(1)
	}
}

func run(configPath string) error {
	cfg, err := config.Load(configPath)
	if err != nil {
		return err
	}
	port, err := cfg.Int("webhook.port", 9443)
	if err != nil {
		return err
	}
	certDir := cfg.String("webhook.certDir", "")
	if certDir == "" {
		return fmt.Errorf("webhook.certDir is required: the webhook server serves HTTPS only")
	}
	cert, present, err := server.LoadCertificate(certDir)
	if err != nil {
		return err
	}
	if !present {
		return fmt.Errorf("no serving certificate: tls.crt and tls.key must be in %s (webhook.certDir)", certDir)
	}
	srv := server.New("authwebhook", server.Addrs{
		API:    ":" + strconv.Itoa(port),
		Health: cfg.String("webhook.healthProbeAddr", ":8081"),
	})
	srv.ServeTLS(cert)
	handlers.RegisterAll(srv.API, srv.Metrics)
	return srv.Run()
}
