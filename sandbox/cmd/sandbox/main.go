// Command sandbox serves a local Partner Center until interrupted (`make sandbox`).
package main

import (
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
	if err := run(fo); err != nil {
		fmt.Fprintln(os.Stderr, "sandbox:", err)
		os.Exit(1)
	}
}

func run(fo sandbox.FlagOptions) error {
	opts, err := fo.Resolve()
	if err != nil {
		return err
	}
	sb, err := sandbox.New(opts)
	if err != nil {
		return err
	}
	defer sb.Close()
	if fo.CAFile != "" && sb.CertPEM != nil {
		if err := os.WriteFile(fo.CAFile, sb.CertPEM, 0o644); err != nil {
			return err
		}
	}
	fmt.Print(sb.Banner(fo.CAFile))
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	fmt.Println("sandbox: stopped")
	return nil
}
