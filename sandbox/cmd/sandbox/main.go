// Command sandbox serves a local Partner Center until interrupted (`make sandbox`).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/partnercenter-go/partnercenter/sandbox"
)

func main() {
	var fo sandbox.FlagOptions
	fs := flag.NewFlagSet("sandbox", flag.ExitOnError)
	fo.AddFlags(fs)
	fs.Parse(os.Args[1:])
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := sandbox.Serve(ctx, fo, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sandbox:", err)
		os.Exit(1)
	}
}
