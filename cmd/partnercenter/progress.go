package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/term"
)

// progress reports a batch on stderr: a bar redrawn on a terminal, periodic lines otherwise.
type progress struct {
	mu                                      sync.Mutex // one writer of the terminal's line at a time
	w                                       io.Writer
	mode                                    string
	total                                   int
	pacer                                   *pacer
	activated, already, failed, interrupted atomic.Int64
	begin                                   time.Time
	quit                                    chan struct{}
	finished                                chan struct{}
	width                                   func() int    // the terminal's columns, read at each redraw
	after                                   time.Duration // nothing is drawn before (contract probe: short runs stay quiet)
}

type batchSummary struct {
	activated, already, failed int64
	elapsed                    time.Duration
	rate                       float64
}

func newProgress(w io.Writer, mode string, total int, p *pacer) *progress {
	width := func() int { return 80 }
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if mode == "auto" {
			mode = "bar"
		}
		width = func() int {
			if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
				return cols
			}
			return 80
		}
	}
	if mode == "auto" {
		mode = "lines"
	}
	return &progress{w: w, mode: mode, total: total, pacer: p, quit: make(chan struct{}), finished: make(chan struct{}), width: width}
}

func (p *progress) record(r result) {
	switch r.Status {
	case "activated":
		p.activated.Add(1)
	case "already-active":
		p.already.Add(1)
	default:
		p.failed.Add(1)
	}
}

func (p *progress) start() {
	p.begin = time.Now()
	go func() {
		defer close(p.finished)
		if p.mode == "none" {
			<-p.quit
			return
		}
		if p.after > 0 {
			select {
			case <-time.After(p.after):
			case <-p.quit:
				return
			}
		}
		every := 2 * time.Second
		if p.mode == "bar" {
			every = 200 * time.Millisecond
		}
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.draw(false)
			case <-p.quit:
				p.draw(true)
				return
			}
		}
	}()
}

func (p *progress) stop() {
	close(p.quit)
	<-p.finished
}

func (p *progress) summary() batchSummary {
	s := batchSummary{activated: p.activated.Load(), already: p.already.Load(), failed: p.failed.Load(), elapsed: time.Since(p.begin)}
	if secs := s.elapsed.Seconds(); secs > 0 {
		s.rate = float64(s.activated+s.already+s.failed) / secs
	}
	return s
}

// clearBar erases the bar before something else is written to the same terminal (results
// on stdout): the next tick draws it again below.
func (p *progress) clearBar() {
	if p.mode != "bar" {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, "\r\033[K")
}

func (p *progress) draw(final bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch p.mode {
	case "bar":
		// \r and \033[K redraw one line in place; a line as wide as the terminal would wrap
		// (and then every redraw adds a line), so it is kept to width-1 columns.
		fmt.Fprintf(p.w, "\r%s\033[K", p.line(p.width()-1, true))
		if final {
			fmt.Fprintln(p.w)
		}
	case "lines":
		fmt.Fprintf(p.w, "%s\n", p.line(79, false))
	}
}

// line is the progress text in at most width columns: the counts first, then what fits of the
// rate, the ETA, the pace and (on a terminal) the bar, in that order of importance.
func (p *progress) line(width int, bar bool) string {
	s := p.summary()
	n := int(s.activated + s.already + s.failed)
	eta := "-"
	if s.rate > 0 && n < p.total {
		eta = (time.Duration(float64(p.total-n)/s.rate) * time.Second).Round(time.Second).String()
	}
	text := fmt.Sprintf("%d/%d done", n, p.total)
	if !bar {
		text = "progress: " + text
	}
	for _, part := range []string{
		fmt.Sprintf(", %d failed", s.failed),
		fmt.Sprintf(", %.1f/s", s.rate),
		", ETA " + eta,
		p.paceText(),
	} {
		if len(text)+len(part) > width {
			break
		}
		text += part
	}
	if bar {
		if room := width - len(text) - 3; room >= 10 { // "[" bar "] " text
			size := min(room, 30)
			filled := 0
			if p.total > 0 {
				filled = size * n / p.total
			}
			text = "[" + strings.Repeat("#", filled) + strings.Repeat("-", size-filled) + "] " + text
		}
	}
	if len(text) > width && width > 0 {
		text = text[:width]
	}
	return text
}

func (p *progress) paceText() string {
	if p.pacer == nil { // contract probe paces itself
		return ""
	}
	if r := p.pacer.rateNow(); r > 0 {
		return fmt.Sprintf(", pace %.0f/s", r)
	}
	return ""
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
