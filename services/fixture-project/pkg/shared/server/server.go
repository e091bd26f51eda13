// Package server runs a service the way kubernaut's binaries serve: the API on its own listener (HTTPS when given a
// certificate), /healthz and /readyz on a dedicated health listener, /metrics on a dedicated metrics listener (health
// and metrics always plain HTTP), and a graceful stop of all of them on SIGTERM or SIGINT.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/jordigilh/kubernaut/pkg/shared/health"
	"github.com/jordigilh/kubernaut/pkg/shared/metrics"
)

// Addrs are the listen addresses; an empty one is not served.
type Addrs struct {
	API     string
	Health  string
	Metrics string
}

// Server is one service's listeners.
type Server struct {
	Name    string
	Addrs   Addrs
	API     *http.ServeMux
	Metrics *metrics.Registry
	Health  *health.Checker
	// TLS, when set, makes the API listener serve HTTPS.
	TLS *tls.Config
}

// New has an empty API, no readiness checks yet (ready at once) and no counters.
func New(name string, addrs Addrs) *Server {
	return &Server{Name: name, Addrs: addrs, API: http.NewServeMux(), Metrics: metrics.NewRegistry(), Health: health.NewChecker()}
}

// LoadCertificate reads tls.crt and tls.key from dir. present is false (and err nil) when either file is missing.
func LoadCertificate(dir string) (cert tls.Certificate, present bool, err error) {
	crt, key := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	for _, file := range []string{crt, key} {
		if _, statErr := os.Stat(file); errors.Is(statErr, os.ErrNotExist) {
			return tls.Certificate{}, false, nil
		}
	}
	cert, err = tls.LoadX509KeyPair(crt, key)
	if err != nil {
		return tls.Certificate{}, true, fmt.Errorf("certificate in %s: %w", dir, err)
	}
	return cert, true, nil
}

// ServeTLS makes the API listener serve HTTPS with cert.
func (s *Server) ServeTLS(cert tls.Certificate) {
	s.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
}

// Run serves until SIGTERM or SIGINT (then drains for up to 10 s) or until a listener fails.
func (s *Server) Run() error {
	healthMux := http.NewServeMux()
	healthMux.HandleFunc("/healthz", s.Health.Healthz)
	healthMux.HandleFunc("/readyz", s.Health.Readyz)
	metricsMux := http.NewServeMux()
	metricsMux.Handle("/metrics", s.Metrics)

	var servers []*http.Server
	errc := make(chan error, 3)
	start := func(what, addr string, handler http.Handler, config *tls.Config) {
		if addr == "" {
			return
		}
		srv := &http.Server{Addr: addr, Handler: handler, TLSConfig: config, ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, srv)
		scheme := "http"
		if config != nil {
			scheme = "https"
		}
		log.Printf("%s: %s listening on %s (%s)", s.Name, what, addr, scheme)
		go func() {
			var err error
			if config != nil {
				err = srv.ListenAndServeTLS("", "")
			} else {
				err = srv.ListenAndServe()
			}
			if !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("%s listener %s: %w", what, addr, err)
			}
		}()
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	start("health", s.Addrs.Health, healthMux, nil)
	start("metrics", s.Addrs.Metrics, metricsMux, nil)
	start("api", s.Addrs.API, s.API, s.TLS)

	var failed error
	select {
	case failed = <-errc:
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, srv := range servers {
		if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) && failed == nil {
			failed = err
		}
	}
	return failed
}
