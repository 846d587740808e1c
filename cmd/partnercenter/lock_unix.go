//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"errors"
	"os"
	"syscall"
)

// errLocked says that another run holds a results file.
var errLocked = errors.New("another partnercenter activate is writing to this results file: wait for it to end, or name another file")

// lockFile takes an advisory lock on f, held until f is closed (or the process ends, a crash
// included). It does not wait: a second run on the same results file is refused at once.
func lockFile(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errLocked
	}
	return err
}
