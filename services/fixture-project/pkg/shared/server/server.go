// Package server is the HTTP server every service runs: /healthz, /readyz, /metrics, the service's API, and a
// graceful stop on SIGTERM.
package server

import (
	"context"
	"errors"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/jordigilh/kubernaut/pkg/shared/health"
	"github.com/jordigilh/kubernaut/pkg/shared/metrics"
)

// Server is one service's HTTP server.
type Server struct {
	Name    string
	Addr    string
	Mux     *http.ServeMux
	Metrics *metrics.Registry
	Health  *health.Checker
}

// New mounts /healthz, /readyz and /metrics.
func New(name, addr string) *Server {
	s := &Server{Name: name, Addr: addr, Mux: http.NewServeMux(), Metrics: metrics.NewRegistry(), Health: health.NewChecker()}
	s.Mux.HandleFunc("/healthz", s.Health.Healthz)
	s.Mux.HandleFunc("/readyz", s.Health.Readyz)
	s.Mux.Handle("/metrics", s.Metrics)
	return s
}

// Run serves until SIGTERM or SIGINT, then drains for up to 10 s.
func (s *Server) Run() error {
	srv := &http.Server{Addr: s.Addr, Handler: s.Mux, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Printf("%s listening on %s", s.Name, s.Addr)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
