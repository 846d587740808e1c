// Package plural writes counts as people read them: "1 file", "2 files", "0 files". It is
// shared by the command and the contract gate, whose summaries said "1 files".
package plural

import "strconv"

// Of is n and the noun, in the plural unless n is 1. The plural adds "s", unless given
// ("entry", "entries").
func Of(n int, singular string, pluralForm ...string) string {
	noun := singular
	if n != 1 {
		noun = singular + "s"
		if len(pluralForm) > 0 {
			noun = pluralForm[0]
		}
	}
	return strconv.Itoa(n) + " " + noun
}
