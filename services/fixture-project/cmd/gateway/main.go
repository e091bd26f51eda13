// Command gateway is the fixture's gateway, started as kubernaut's is: --config names its YAML configuration file
// (default /etc/gateway/config.yaml), which must exist. It serves its API on server.listenAddr (:8080), /healthz and
// /readyz on server.healthAddr (:8081) and /metrics on server.metricsAddr (:9090).
package main

import (
	"flag"
	"log"
	"os"

	"github.com/jordigilh/kubernaut/pkg/gateway/handlers"
	"github.com/jordigilh/kubernaut/pkg/shared/config"
	"github.com/jordigilh/kubernaut/pkg/shared/server"
)

func main() {
	configPath := flag.String("config", "/etc/gateway/config.yaml", "path to the YAML configuration file; its server.listenAddr is the address to serve on")
	flag.Parse()
	cfg, err := config.Load(*configPath)
	if err != nil {
		log.Printf("gateway: %v", err)
		os.Exit(1)
	}
	srv := server.New("gateway", server.Addrs{
		API:     cfg.String("server.listenAddr", ":8080"),
		Health:  cfg.String("server.healthAddr", ":8081"),
		Metrics: cfg.String("server.metricsAddr", ":9090"),
	})
	handlers.RegisterAll(srv.API, srv.Metrics)
	if err := srv.Run(); err != nil {
		log.Printf("gateway: %v", err)
		os.Exit(1)
	}
}
