// Package health serves /healthz (the process is up) and /readyz (every readiness check passes).
package health

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Checker holds the readiness checks.
type Checker struct {
	mu     sync.RWMutex
	checks map[string]func() error
}

// NewChecker has no checks: ready at once.
func NewChecker() *Checker { return &Checker{checks: map[string]func() error{}} }

// Add registers a named readiness check.
func (c *Checker) Add(name string, check func() error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.checks[name] = check
}

// Healthz answers 200 while the process serves.
func (c *Checker) Healthz(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) }

// Readyz answers 200 when every check passes, else 503 naming the failing ones.
func (c *Checker) Readyz(w http.ResponseWriter, _ *http.Request) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	failed := ""
	for name, check := range c.checks {
		if err := check(); err != nil {
			failed += name + ": " + err.Error() + "\n"
		}
	}
	if failed != "" {
		http.Error(w, failed, http.StatusServiceUnavailable)
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

// TCP is a readiness check that passes while addr accepts connections (a database, a cache the service needs).
func TCP(addr string) func() error {
	return func() error {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return err
		}
		return conn.Close()
	}
}
