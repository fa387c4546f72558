#!/usr/bin/env bash
# kube-bench (the CIS Kubernetes Benchmark checks, cis-1.6 for Kubernetes 1.16-1.20), built
# offline from its Go module with this machine's Go and cached with its check definitions:
#   <cache>/tools/kube-bench-<version>/kube-bench and .../cfg/
# The module proxy serves exact versions of it but no version list, so `go install
# module@version` (which asks for the list) fails: the module is downloaded by its exact
# version and built in a copy. Prints the directory.
set -euo pipefail
KUBE_BENCH_VERSION=${KUBE_BENCH_VERSION:-v0.6.3}
GO=${LAB_TOOLS_GO:-/usr/local/go/bin/go}
LAB_CACHE=${LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/k8s-classic-lab}
out="$LAB_CACHE/tools/kube-bench-$KUBE_BENCH_VERSION"
mkdir -p "$LAB_CACHE/tools"
exec 9>"$LAB_CACHE/tools/kube-bench.lock"
flock 9
if [ ! -x "$out/kube-bench" ] || [ ! -f "$out/cfg/cis-1.6/master.yaml" ]; then
  [ -x "$GO" ] || { echo "build-kube-bench: no Go at $GO (set LAB_TOOLS_GO)" >&2; exit 1; }
  printf '[%s] building kube-bench %s with %s\n' "$(date +%T)" "$KUBE_BENCH_VERSION" "$("$GO" version)" >&2
  work="$LAB_CACHE/build/kube-bench"
  export GOPATH="$work/gopath" GOCACHE="$work/gocache" GOFLAGS=-modcacherw CGO_ENABLED=0
  module=$(cd /tmp && "$GO" mod download -json "github.com/aquasecurity/kube-bench@$KUBE_BENCH_VERSION" \
    | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [ -d "$module" ] || { echo "build-kube-bench: the module was not downloaded" >&2; exit 1; }
  rm -rf "$work/src" "$out.tmp"
  cp -r "$module" "$work/src"
  chmod -R u+w "$work/src"
  mkdir -p "$out.tmp"
  (cd "$work/src" && "$GO" build -o "$out.tmp/kube-bench" .) >&2
  cp -r "$work/src/cfg" "$out.tmp/cfg"
  rm -rf "$out"
  mv "$out.tmp" "$out"
fi
echo "$out"
