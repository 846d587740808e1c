// Package releasetest holds the tests of what the project ships beyond its Go packages: the
// release builds (`make dist`, --version from Go's build information), the GitHub Action's
// script and the release configuration. They run the way a user or a CI runner does: on a
// fresh git repository holding the checkout's files, through make, bash and the built binary.
package releasetest
