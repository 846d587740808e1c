#!/usr/bin/env bash
# The step of the GitHub Action (action.yml at the repository's root): judge the cassettes and
# HAR captures named by INPUT_PATHS with `partnercenter contract validate`, print workflow
# annotations (::error file=...) for the pull request, write a JUnit report, the job's step
# summary and the step's outputs. The runner passes the inputs as INPUT_* variables (action.yml
# maps each one); internal/releasetest runs this script the same way.
#
# The command comes from INPUT_BINARY when given; else from the release named by INPUT_VERSION
# (the action's own ref, ACTION_REF, when that is a release tag), downloaded and checked against the
# release's checksums.txt; else it is built with Go from the action's own source.
#
# Exit status: the gate's (0 pass, 1 fail), 2 when an input is wrong.
set -euo pipefail

releases="${PARTNERCENTER_RELEASES_URL:-https://github.com/partnercenter-go/partnercenter/releases/download}"
action_path="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
tmp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"

# usage prints an error annotation for a wrong input and exits 2.
usage() {
  echo "::error title=partnercenter contract gate::$*"
  exit 2
}

# platform sets name to the release build for the runner: partnercenter_<os>_<arch>[.exe].
platform() {
  local os arch
  case "${RUNNER_OS:-$(uname -s)}" in
    Linux) os=linux ;; macOS | Darwin) os=darwin ;; Windows | MINGW* | MSYS*) os=windows ;;
    *) usage "no release build for the runner's system ${RUNNER_OS:-$(uname -s)}: set version: source" ;;
  esac
  case "${RUNNER_ARCH:-$(uname -m)}" in
    X64 | x86_64 | amd64) arch=amd64 ;; ARM64 | arm64 | aarch64) arch=arm64 ;;
    *) usage "no release build for the runner's architecture ${RUNNER_ARCH:-$(uname -m)}: set version: source" ;;
  esac
  name="partnercenter_${os}_${arch}"
  if [ "$os" = windows ]; then name="$name.exe"; fi
}

# download fetches release $1's build for this runner and checks it against the release's
# checksums.txt; it sets binary. (No $(...) around it or build: their annotations must reach
# the runner, and their exit the script.)
download() {
  local version=$1 name dir
  platform
  dir="$tmp/partnercenter-$version"
  mkdir -p "$dir"
  curl -fsSL --retry 3 -o "$dir/checksums.txt" "$releases/$version/checksums.txt" ||
    usage "version: cannot download $releases/$version/checksums.txt (is $version a release?)"
  curl -fsSL --retry 3 -o "$dir/$name" "$releases/$version/$name" ||
    usage "version: cannot download $releases/$version/$name"
  local check=(sha256sum -c --quiet -)
  if ! command -v sha256sum >/dev/null; then check=(shasum -a 256 -c --quiet -); fi # macOS
  if ! (cd "$dir" && grep " \*\{0,1\}$name\$" checksums.txt | "${check[@]}" >&2); then
    echo "::error title=partnercenter contract gate::$name of $version does not match its checksums.txt: not running it"
    exit 1
  fi
  chmod +x "$dir/$name"
  binary="$dir/$name"
}

# build compiles the command from the action's own source (needs Go: actions/setup-go); it
# sets binary.
build() {
  command -v go >/dev/null ||
    usage "version: source needs Go on the runner (actions/setup-go with go-version-file: go.mod), or set version to a release tag"
  (cd "$action_path" && go build -buildvcs=true -o "$tmp/partnercenter-source" ./cmd/partnercenter) >&2 ||
    usage "cannot build the command from $action_path"
  binary="$tmp/partnercenter-source"
}

paths=()
while IFS= read -r line; do
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  if [ -n "$line" ]; then paths+=("$line"); fi
done <<<"${INPUT_PATHS:-}"
[ ${#paths[@]} -gt 0 ] || usage "input paths is empty: name the cassette or HAR files or folders to judge, one per line"
for p in "${paths[@]}"; do
  [ -e "$p" ] || usage "input paths: $p does not exist (paths are relative to the workspace, $(pwd))"
done

args=(contract validate --format github)
case "${INPUT_STRICT:-false}" in
  true) args+=(--strict) ;;
  false | "") ;;
  *) usage "input strict: \"$INPUT_STRICT\" is not true or false" ;;
esac
if [ -n "${INPUT_SPEC:-}" ]; then
  [ -f "$INPUT_SPEC" ] || usage "input spec: $INPUT_SPEC is not a file"
  args+=(--spec "$INPUT_SPEC")
fi
if [ -n "${INPUT_REPORT:-}" ]; then args+=(--report "junit=$INPUT_REPORT"); fi

version="${INPUT_VERSION:-}"
if [ -z "$version" ]; then
  version=source
  ref="${ACTION_REF:-${GITHUB_ACTION_REF:-}}"
  if [[ "$ref" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]]; then version=$ref; fi
fi
if [ -n "${INPUT_BINARY:-}" ]; then
  [ -x "$INPUT_BINARY" ] || usage "input binary: $INPUT_BINARY is not an executable file"
  binary=$INPUT_BINARY
elif [ "$version" = source ]; then
  build
elif [[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  download "$version"
else
  usage "input version: \"$version\" is neither a release tag (v1.2.3) nor source"
fi
"$binary" --version >&2 # which build judges, in the log

out="$tmp/partnercenter-gate-$$.txt"
set +e
"$binary" "${args[@]}" -- "${paths[@]}" | tee "$out"
status=${PIPESTATUS[0]}
set -e

verdict=fail
if [ "$status" = 0 ]; then verdict=pass; fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "verdict=$verdict"
    echo "report=${INPUT_REPORT:-}"
  } >>"$GITHUB_OUTPUT"
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    echo "### Partner Center contract gate: ${verdict^^}"
    echo
    grep -E '^(PASS|FAIL): ' "$out" | sed 's/^/    /' || echo "    the gate stopped with exit status $status before its summary"
    echo
    echo "Annotated on their files: violations $(grep -c '^::error ' "$out" || true), drift $(grep -c '^::warning ' "$out" || true).${INPUT_REPORT:+ JUnit report: \`$INPUT_REPORT\`.}"
    echo
    echo '<details><summary>Coverage</summary>'
    echo
    sed -n '/^Contract coverage:/,/^(a status/p' "$out" | sed 's/^/    /'
    echo
    echo '</details>'
  } >>"$GITHUB_STEP_SUMMARY"
fi
rm -f "$out"
exit "$status"
