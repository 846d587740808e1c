// Package shell quotes words for a POSIX shell: the sandbox's banner and the command's
// resume hints print lines that an operator pastes into one.
package shell

import "strings"

// safe are the characters that no POSIX shell treats specially in a word.
const safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:,+=@%"

// Quote returns s as it is when it holds only safe characters, in single quotes otherwise
// (a single quote inside is closed, escaped with a backslash and reopened).
func Quote(s string) string {
	if s != "" && strings.Trim(s, safe) == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Join quotes each word and joins them with spaces.
func Join(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = Quote(w)
	}
	return strings.Join(quoted, " ")
}
