// zone answers with its time zone and UTC offset, read from the image's zoneinfo through $TZ.
package main

import (
	"fmt"
	"net/http"
	"os"
	"time"

	"example.com/go-services/internal/serve"
)

func main() {
	serve.Run("zone", func(w http.ResponseWriter, _ *http.Request) {
		now := time.Now()
		name, _ := now.Zone()
		fmt.Fprintf(w, "%s tz=%s zone=%s utc_offset=%s\n", serve.Identity("zone"), os.Getenv("TZ"), name, now.Format("-07:00"))
	})
}
