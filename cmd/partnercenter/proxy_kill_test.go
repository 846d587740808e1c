package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/partnercenter-go/partnercenter/contract"
)

// A proxy killed (SIGKILL) in the middle of traffic leaves only complete cassettes, which
// `contract validate` accepts, and loses at most the exchanges of its last moment: killed
// after 250 answers, the first cassette (rolled over at 200) is whole.
func TestProxyKilledMidTrafficLeavesCompleteCassettes(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"subscriptionId":"`+subA+`","status":"Success"}`)
	}))
	defer target.Close()
	dir := filepath.Join(t.TempDir(), "recorded")
	e := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	proxy := startProxy(t, e, "--target", target.URL, "--record", dir)
	var answered atomic.Int64
	reached := make(chan struct{})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := http.Post(proxy.URL+"/v1/customers/"+customer+"/subscriptions/"+subA+"/activate", "", nil)
				if err != nil {
					continue // the proxy is gone
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if answered.Add(1) == 250 {
					close(reached)
				}
			}
		}()
	}
	<-reached
	proxy.cmd.Process.Kill() // traffic still flowing
	proxy.cmd.Wait()
	close(stop)
	wg.Wait()

	r := runCLI(t, e, "contract", "validate", dir)
	if r.code != 0 {
		t.Fatalf("contract validate refuses what the killed proxy left: %+v", r)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) == 0 {
		t.Fatal("nothing recorded")
	}
	v, err := contract.NewDefault(contract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	report, err := v.Check(files[0])
	if err != nil || report.Interactions != 200 {
		t.Fatalf("the first cassette: %v, %d interactions, want all 200", err, report.Interactions)
	}
	if !strings.Contains(r.stdout+r.stderr, "PASS") {
		t.Errorf("no verdict line: %+v", r)
	}
}
