#!/usr/bin/env bash
# Build the cluster DNS image for the lab (and for air-gapped users) offline:
#   <cache>/coredns/<version>/bin/coredns              (static, CGO_ENABLED=0) + SHA256SUMS
#   <cache>/coredns/<version>/images/coredns.tar       (docker save format, tag $COREDNS_IMAGE)
# CoreDNS 1.7.0 is the version Kubernetes 1.20 shipped with. Debian has no CoreDNS
# package; the machines reach the Go module proxy, so it is built from its Go module by a
# small build module of ours (a go.mod that requires github.com/coredns/coredns at the
# pinned version) with `go build github.com/coredns/coredns`.
# The build module also raises the dependencies that no longer work with the toolchain:
#   github.com/modern-go/reflect2 v1.0.1 (pulled in by json-iterator through client-go)
#   crashes at run time on Go >= 1.18 (mapiterinit changed); v1.0.2 is its fix.
# The Go toolchain is chosen explicitly (GOROOT, GOTOOLCHAIN=local), never the first `go`
# on PATH: Debian 12's Go 1.19, the same one the Kubernetes build uses.
# The image is a root filesystem with the binary and the CA bundle (for forward over TLS),
# imported with `docker import` (no registry, no Dockerfile base image).
# A valid cache (same recipe, checksums good, archive present) is reused in seconds.
set -euo pipefail

COREDNS_VERSION=${COREDNS_VERSION:-1.7.0}
COREDNS_IMAGE=${COREDNS_IMAGE:-lab.local/coredns:$COREDNS_VERSION}
# Dependencies raised above what CoreDNS $COREDNS_VERSION requires (module@version, space separated).
COREDNS_DEPENDENCY_FIXES=${COREDNS_DEPENDENCY_FIXES:-github.com/modern-go/reflect2@v1.0.2}
COREDNS_GO_PACKAGE=${COREDNS_GO_PACKAGE:-golang-1.19-go}
LAB_CACHE=${LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/k8s-classic-lab}
out="$LAB_CACHE/coredns/$COREDNS_VERSION"
work="$LAB_CACHE/build/coredns-$COREDNS_VERSION"
here=$(cd "$(dirname "$0")" && pwd)
goroot=/usr/lib/go-${COREDNS_GO_PACKAGE#golang-}
goroot=${goroot%-go}
recipe=$( (cat "$0"; echo "$COREDNS_VERSION $COREDNS_IMAGE $COREDNS_DEPENDENCY_FIXES $COREDNS_GO_PACKAGE") |
  sha256sum | cut -c1-16)

step() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

# one build at a time (make lab and a test run may start it together)
mkdir -p "$LAB_CACHE"
exec 9>"$LAB_CACHE/coredns-$COREDNS_VERSION.lock"
flock 9

cache_valid() {
  [ -f "$out/RECIPE" ] && [ "$(cat "$out/RECIPE")" = "$recipe" ] || return 1
  [ -f "$out/images/coredns.tar" ] || return 1
  (cd "$out/bin" && sha256sum --quiet -c SHA256SUMS) >/dev/null 2>&1
}

if cache_valid; then
  step "CoreDNS $COREDNS_VERSION is cached in $out (checksums good)"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
need=()
[ -x "$goroot/bin/go" ] || need+=("$COREDNS_GO_PACKAGE")
[ -f /etc/ssl/certs/ca-certificates.crt ] || need+=(ca-certificates)
if [ ${#need[@]} -gt 0 ]; then
  step "installing build tools: ${need[*]}"
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >/dev/null
fi

rm -rf "$work/module" "$work/rootfs"
mkdir -p "$work/module" "$work/rootfs/etc/ssl/certs" "$out/bin" "$out/images"
cat >"$work/module/go.mod" <<EOF
module lab.local/coredns-build

go 1.14

require github.com/coredns/coredns v$COREDNS_VERSION
EOF

step "building CoreDNS $COREDNS_VERSION from its Go module (a few minutes on 2 cores)"
(
  cd "$work/module"
  export PATH="$goroot/bin:$PATH" GOROOT=$goroot GOTOOLCHAIN=local
  export GOPATH="$work/gopath" GOMODCACHE="$work/gopath/pkg/mod" GOCACHE="$work/gocache"
  export GOFLAGS=-mod=mod CGO_ENABLED=0 GO111MODULE=on
  step "Go toolchain: $(command -v go) ($(go version))"
  for fix in $COREDNS_DEPENDENCY_FIXES; do
    go mod edit -require="$fix"
  done
  go build -trimpath -ldflags '-s -w' -o "$work/coredns" github.com/coredns/coredns
  step "module versions used: coredns $(go list -m -f '{{.Version}}' github.com/coredns/coredns)," \
    "reflect2 $(go list -m -f '{{.Version}}' github.com/modern-go/reflect2)"
)
"$work/coredns" -version | sed 's/^/  /' >&2
install -m 0755 "$work/coredns" "$out/bin/coredns"
(cd "$out/bin" && sha256sum coredns >SHA256SUMS)

"$here/ensure-docker.sh"
step "building $COREDNS_IMAGE (binary + CA bundle)"
install -m 0755 "$work/coredns" "$work/rootfs/coredns"
install -m 0644 /etc/ssl/certs/ca-certificates.crt "$work/rootfs/etc/ssl/certs/ca-certificates.crt"
tar -C "$work/rootfs" --owner=0 --group=0 -c . |
  docker import -c 'ENTRYPOINT ["/coredns"]' -c 'EXPOSE 53 53/udp' - "$COREDNS_IMAGE" >/dev/null
docker save -o "$out/images/coredns.tar" "$COREDNS_IMAGE"

echo "$recipe" >"$out/RECIPE"
step "done: $out"
ls -la "$out/bin" "$out/images" >&2
