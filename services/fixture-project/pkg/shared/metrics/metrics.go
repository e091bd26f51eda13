// Package metrics is a small counter registry served in the Prometheus text format.
package metrics

import (
	"fmt"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
)

// Counter only goes up.
type Counter struct {
	name, help string
	value      uint64
}

// Inc adds one.
func (c *Counter) Inc() { atomic.AddUint64(&c.value, 1) }

// Value is the current count.
func (c *Counter) Value() uint64 { return atomic.LoadUint64(&c.value) }

// Registry holds named counters.
type Registry struct {
	mu       sync.Mutex
	counters map[string]*Counter
}

// NewRegistry is an empty registry.
func NewRegistry() *Registry { return &Registry{counters: map[string]*Counter{}} }

// Counter returns the counter of that name, creating it once.
func (r *Registry) Counter(name, help string) *Counter {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.counters[name]; ok {
		return c
	}
	c := &Counter{name: name, help: help}
	r.counters[name] = c
	return c
}

// ServeHTTP writes every counter, sorted by name.
func (r *Registry) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	r.mu.Lock()
	names := make([]string, 0, len(r.counters))
	for name := range r.counters {
		names = append(names, name)
	}
	r.mu.Unlock()
	sort.Strings(names)
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	for _, name := range names {
		c := r.Counter(name, "")
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", name, c.help, name, name, c.Value())
	}
}
