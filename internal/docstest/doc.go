// Package docstest checks the project's documentation (README.md, CHANGELOG.md, docs/*.md) as
// a reader meets it: every relative link and anchor resolves, and every fenced block is run,
// compiled or checked by a test. A block says how, in a marker on the line before its fence:
//
//	<!-- snippet: run -->              a sh block run by TestSnippets in a copy of the
//	                                   repository, partnercenter on PATH; a line ending in
//	                                   "# exit N" must exit N, any other 0
//	<!-- snippet: output -->           a text block after a run block: each of its lines, but
//	                                   "...", is a line that block printed
//	<!-- snippet: same as PATH -->     the block is, verbatim, part of PATH (a test or example
//	                                   that go test compiles and runs)
//	<!-- snippet: by TestName -->      TestName, a test of the repository, runs or checks it
//	<!-- snippet: by PATH -->          PATH (a CI script or workflow) runs each of its lines
//
// A block without a marker fails the test: new pages are covered as they land.
package docstest
