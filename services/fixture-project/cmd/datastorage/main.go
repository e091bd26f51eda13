// Command datastorage is the fixture's DataStorage, started as kubernaut's is: CONFIG_PATH names its YAML
// configuration file, and it does not start without it. It serves its API on server.host:server.port (8080) —
// HTTPS when server.tls.certDir holds tls.crt and tls.key — /healthz and /readyz on server.healthPort (8081),
// /metrics on server.metricsPort (9090). It needs its signing pair in server.signerCertDir and the secrets files
// the config names; it is ready while its database and Redis accept connections.
package main

import (
	"fmt"
	"log"
	"net"
	"os"
	"strconv"

	"github.com/jordigilh/kubernaut/pkg/datastorage/handlers"
	"github.com/jordigilh/kubernaut/pkg/shared/config"
	"github.com/jordigilh/kubernaut/pkg/shared/health"
	"github.com/jordigilh/kubernaut/pkg/shared/server"
)

func main() {
	if err := run(); err != nil {
		log.Printf("datastorage: %v", err)
		os.Exit(1)
	}
}

func run() error {
	path := os.Getenv("CONFIG_PATH")
	if path == "" {
		return fmt.Errorf("CONFIG_PATH is not set: it must name the YAML configuration file (the deployment mounts it)")
	}
	cfg, err := config.Load(path)
	if err != nil {
		return err
	}
	host := cfg.String("server.host", "")
	ports := map[string]int{"server.port": 8080, "server.healthPort": 8081, "server.metricsPort": 9090}
	for key, def := range ports {
		if ports[key], err = cfg.Int(key, def); err != nil {
			return err
		}
	}
	srv := server.New("datastorage", server.Addrs{
		API:     net.JoinHostPort(host, strconv.Itoa(ports["server.port"])),
		Health:  net.JoinHostPort(host, strconv.Itoa(ports["server.healthPort"])),
		Metrics: net.JoinHostPort(host, strconv.Itoa(ports["server.metricsPort"])),
	})

	signing := cfg.String("server.signerCertDir", "/etc/certs")
	if _, present, err := server.LoadCertificate(signing); err != nil {
		return err
	} else if !present {
		return fmt.Errorf("no signing certificate: tls.crt and tls.key must be in %s (server.signerCertDir); audit exports are signed with it", signing)
	}
	if certDir := cfg.String("server.tls.certDir", ""); certDir != "" {
		cert, present, err := server.LoadCertificate(certDir)
		if err != nil {
			return err
		}
		if present {
			srv.ServeTLS(cert)
		}
	}
	for _, key := range []string{"database.secretsFile", "redis.secretsFile"} {
		if file := cfg.String(key, ""); file != "" {
			if _, err := os.ReadFile(file); err != nil {
				return fmt.Errorf("%s: %v", key, err)
			}
		}
	}
	if dbHost := cfg.String("database.host", ""); dbHost != "" {
		dbPort, err := cfg.Int("database.port", 5432)
		if err != nil {
			return err
		}
		srv.Health.Add("database", health.TCP(net.JoinHostPort(dbHost, strconv.Itoa(dbPort))))
	}
	if redis := cfg.String("redis.addr", ""); redis != "" {
		srv.Health.Add("redis", health.TCP(redis))
	}
	// Readiness on the API port too, for the clients that gate their own readiness on DataStorage's.
	srv.API.HandleFunc("/readyz", srv.Health.Readyz)
	handlers.RegisterAll(srv.API, srv.Metrics)
	return srv.Run()
}
