package partnercenter_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/partnercenter-go/partnercenter"
)

// No goroutine of the client (retry timers, token refreshes, body readers) outlives the tests.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// No goroutine outlives a client call, including calls that were retried, throttled or cut
// short by their context. The server and its connections are closed first, so that idle
// keep-alive connections are not mistaken for leaks.
func TestNoGoroutineOutlivesACall(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	s := newServer(t, jsonAnswer(503, `{"code":1,"description":"busy"}`), jsonAnswer(200, activatedBody),
		answer{status: 200, body: activatedBody, delay: 5 * time.Second})
	transport := &http.Transport{}
	c, _ := newClient(t, s, &partnercenter.ClientOptions{Transport: &http.Client{Transport: transport}})
	if _, err := activate(c, context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := activate(c, ctx); err == nil {
		t.Fatal("want the deadline to end the slow call")
	}
	transport.CloseIdleConnections()
	s.CloseClientConnections()
	s.Close()
}
