// fetch answers with the result of an HTTPS request to $UPSTREAM_URL, verified against the
// image's CA bundle (SSL_CERT_FILE): the proof that a scratch image can make TLS calls.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"example.com/go-services/internal/serve"
)

func main() {
	upstream := os.Getenv("UPSTREAM_URL")
	client := &http.Client{Timeout: 10 * time.Second}
	serve.Run("fetch", func(w http.ResponseWriter, _ *http.Request) {
		result := "none (set UPSTREAM_URL)"
		if upstream != "" {
			resp, err := client.Get(upstream)
			if err != nil {
				result = "error: " + err.Error()
			} else {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				result = fmt.Sprintf("%d tls=verified", resp.StatusCode)
			}
		}
		fmt.Fprintf(w, "%s upstream=%s\n", serve.Identity("fetch"), result)
	})
}
