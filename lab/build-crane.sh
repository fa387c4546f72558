#!/usr/bin/env bash
# crane (go-containerregistry), the lab's tool to push image archives (docker save format)
# into the cluster's registry, built from its Go module with this machine's Go and cached:
#   <cache>/tools/crane-<version>/crane
# Prints the path of the binary.
set -euo pipefail
CRANE_VERSION=${CRANE_VERSION:-v0.20.2}
GO=${LAB_TOOLS_GO:-/usr/local/go/bin/go}
LAB_CACHE=${LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/k8s-classic-lab}
out="$LAB_CACHE/tools/crane-$CRANE_VERSION"
mkdir -p "$LAB_CACHE/tools"
exec 9>"$LAB_CACHE/tools/crane.lock"
flock 9
if [ ! -x "$out/crane" ]; then
  [ -x "$GO" ] || { echo "build-crane: no Go at $GO (set LAB_TOOLS_GO)" >&2; exit 1; }
  printf '[%s] building crane %s with %s\n' "$(date +%T)" "$CRANE_VERSION" "$("$GO" version)" >&2
  work="$LAB_CACHE/build/crane"
  GOBIN="$out" GOPATH="$work/gopath" GOCACHE="$work/gocache" GOFLAGS=-modcacherw CGO_ENABLED=0 \
    "$GO" install "github.com/google/go-containerregistry/cmd/crane@$CRANE_VERSION" >&2
fi
echo "$out/crane"
