package sandbox

import (
	"fmt"
	"math"
	"testing"
)

// The realised fault rates match the configured ones, even for request ids that differ only
// in their last digits (FNV-1a alone failed this: similar keys drew similar values).
func TestFaultRatesHoldForSimilarRequestIDs(t *testing.T) {
	h := &apiHandler{faults: Faults{Seed: 3, ThrottleRate: 0.1, Error500Rate: 0.2, Error503Rate: 0.3, ResetAfterEffectRate: 0.05}}
	const n = 20000
	counts := map[faultKind]int{}
	for i := range n {
		key := fmt.Sprintf("tenant/00000000-0000-4000-8000-%012d", i)
		counts[h.fault(key, 1, 0)]++
		if h.fault(key, 1, 1) == faultReset {
			counts[faultReset]++
		}
	}
	for kind, want := range map[faultKind]float64{faultThrottle: 0.1, fault500: 0.2, fault503: 0.3, faultReset: 0.05} {
		got := float64(counts[kind]) / n
		if math.Abs(got-want) > 0.015 {
			t.Errorf("fault %d: rate %.3f, want %.2f", kind, got, want)
		}
	}
}
