// Package serve runs a service's HTTP handler the way every service here does: on $PORT
// (default 3000), logging one line when it listens, and answering /healthz.
package serve

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

// Run serves handler at / on $PORT and never returns unless the listener fails.
func Run(name string, handler http.HandlerFunc) {
	port := os.Getenv("PORT")
	if port == "" {
		port = "3000"
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", handler)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	log.SetFlags(0)
	log.Printf("%s: listening on :%s as uid %d", name, port, os.Getuid())
	log.Fatal(http.ListenAndServe(":"+port, mux))
}

// Identity is the part of every answer that says who answers: the service and its user.
func Identity(name string) string {
	return fmt.Sprintf("service=%s uid=%d gid=%d", name, os.Getuid(), os.Getgid())
}
