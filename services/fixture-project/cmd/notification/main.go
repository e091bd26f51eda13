// Command notification is the fixture's notification controller, started as kubernaut's is: -config names its YAML
// configuration file (default /etc/notification/config.yaml), which must exist, and ROUTING_CONFIG_PATH, when set,
// its routing file. Like a controller it serves no API: /healthz and /readyz on controller.healthProbeAddr (:8081),
// /metrics on controller.metricsAddr (:9090). Its generated resources stand in for the controller's own code.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/jordigilh/kubernaut/pkg/notification/handlers"
	"github.com/jordigilh/kubernaut/pkg/shared/config"
	"github.com/jordigilh/kubernaut/pkg/shared/server"
)

func main() {
	configPath := flag.String("config", "/etc/notification/config.yaml", "path to the YAML configuration file")
	flag.Parse()
	cfg, err := config.Load(*configPath)
	if err == nil {
		if routing := os.Getenv("ROUTING_CONFIG_PATH"); routing != "" {
			_, err = config.Load(routing)
		}
	}
	if err != nil {
		log.Printf("notification: %v", err)
		os.Exit(1)
	}
	srv := server.New("notification", server.Addrs{
		Health:  cfg.String("controller.healthProbeAddr", ":8081"),
		Metrics: cfg.String("controller.metricsAddr", ":9090"),
	})
	handlers.RegisterAll(srv.API, srv.Metrics)
	if err := srv.Run(); err != nil {
		log.Printf("notification: %v", err)
		os.Exit(1)
	}
}
