// Command notification is the fixture's notification service: an HTTP server with /healthz, /readyz, /metrics and its API.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/jordigilh/kubernaut/pkg/notification/handlers"
	"github.com/jordigilh/kubernaut/pkg/shared/server"
)

func main() {
	addr := flag.String("listen", ":8080", "address to serve on")
	flag.Parse()
	srv := server.New("notification", *addr)
	handlers.RegisterAll(srv.Mux, srv.Metrics)
	if err := srv.Run(); err != nil {
		log.Printf("notification: %v", err)
		os.Exit(1)
	}
}
