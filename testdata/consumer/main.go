// Command consumer builds a client and nothing else: what a team that vendors
// github.com/partnercenter-go/partnercenter links.
package main

import (
	"fmt"
	"os"

	"github.com/partnercenter-go/partnercenter"
)

func main() {
	client, err := partnercenter.NewClient(nil, &partnercenter.ClientOptions{Endpoint: "http://127.0.0.1:8443"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(client.Endpoint())
}
