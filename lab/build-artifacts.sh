#!/usr/bin/env bash
# Build the offline Kubernetes artifacts for the lab and for air-gapped users:
#   <cache>/kubernetes/<version>/bin/{kube-apiserver,kube-controller-manager,
#       kube-scheduler,kubelet,kube-proxy,kubectl}   + SHA256SUMS
#   <cache>/kubernetes/<version>/images/{pause.tar,busybox.tar}  (docker save format)
# Everything comes from Debian: the `kubernetes` source package (the full upstream
# tree with vendor/), golang-1.19-go, gcc (for pause) and busybox-static.
# The Go toolchain is chosen explicitly: Debian 12's Go 1.19 (the one this build was
# measured with), at its versioned path, never whatever `go` comes first on PATH (a newer
# Go, e.g. /usr/local/go, does not build 1.20.2 in GOPATH mode).
# A valid cache (all files present, checksums good, same recipe) is reused in seconds.
set -euo pipefail

KUBE_VERSION=${KUBE_VERSION:-v1.20.2}
PAUSE_IMAGE=${PAUSE_IMAGE:-k8s.gcr.io/pause:3.2}
BUSYBOX_IMAGE=${BUSYBOX_IMAGE:-lab.local/busybox:1.35}
LAB_CACHE=${LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/k8s-classic-lab}
out="$LAB_CACHE/kubernetes/$KUBE_VERSION"
work="$LAB_CACHE/build/kubernetes-$KUBE_VERSION"
here=$(cd "$(dirname "$0")" && pwd)
KUBE_GO_PACKAGE=${KUBE_GO_PACKAGE:-golang-1.19-go}
# Kubernetes 1.20 vendors github.com/modern-go/reflect2 v1.0.1, which reads Go's map internals
# by their pre-1.18 layout: built with Go 1.18 or newer, kube-apiserver dies ("fatal error:
# fault" in reflect2's UnsafeIterate, under json-iterator) when it encodes some objects, e.g.
# custom resources (found by the conformance suite: three crashes in ten minutes). v1.0.2 is
# the fix (modern-go/reflect2#25); it replaces the vendored copy before the build, fetched
# from the Go module proxy and checked against the checksum database (GOPROXY, GOSUMDB).
REFLECT2_VERSION=${REFLECT2_VERSION:-v1.0.2}
kube_goroot=/usr/lib/go-${KUBE_GO_PACKAGE#golang-}
kube_goroot=${kube_goroot%-go}
recipe=$( (cat "$0"; echo "$KUBE_VERSION $PAUSE_IMAGE $BUSYBOX_IMAGE $KUBE_GO_PACKAGE $REFLECT2_VERSION") | sha256sum | cut -c1-16)
components=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)

step() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

cache_valid() {
  [ -f "$out/RECIPE" ] && [ "$(cat "$out/RECIPE")" = "$recipe" ] || return 1
  [ -f "$out/images/pause.tar" ] && [ -f "$out/images/busybox.tar" ] || return 1
  (cd "$out/bin" && sha256sum --quiet -c SHA256SUMS) >/dev/null 2>&1
}

if cache_valid; then
  step "artifacts for $KUBE_VERSION are cached in $out (checksums good)"
  exit 0
fi

if [ "$KUBE_VERSION" != v1.20.2 ]; then
  echo "build-artifacts: only v1.20.2 can be built offline (Debian 12's kubernetes source package);" >&2
  echo "  for $KUBE_VERSION set kube_binaries_source=url and let the binaries role download it." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
need=()
[ -x "$kube_goroot/bin/go" ] || need+=("$KUBE_GO_PACKAGE")
for tool in rsync:rsync gcc:gcc make:make dpkg-source:dpkg-dev; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need+=("${tool#*:}")
done
# deb-src for the kubernetes source package: reuse the machine's own Debian mirror
if ! apt-get source --print-uris kubernetes >/dev/null 2>&1; then
  mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:.*\/debian\/?$/ {print $2; exit}' || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  step "adding deb-src for bookworm from $mirror"
  printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$mirror" >/etc/apt/sources.list.d/k8s-classic-lab-src.sources
  apt-get -o DPkg::Lock::Timeout=600 update -qq
fi
if [ ${#need[@]} -gt 0 ] || [ ! -f /bin/busybox ] ; then
  step "installing build tools: ${need[*]} busybox-static"
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" busybox-static >/dev/null
fi

mkdir -p "$work" "$out/bin" "$out/images"
src=$(find "$work" -maxdepth 1 -type d -name 'kubernetes-1.20*' | head -n1)
if [ -z "$src" ]; then
  step "fetching Debian's kubernetes source package"
  (cd "$work" && apt-get source -qq kubernetes >/dev/null)
  src=$(find "$work" -maxdepth 1 -type d -name 'kubernetes-1.20*' | head -n1)
fi

vendored="$src/vendor/github.com/modern-go/reflect2"
if [ "$(cat "$vendored/.k8s-classic-version" 2>/dev/null)" != "$REFLECT2_VERSION" ]; then
  step "replacing the vendored github.com/modern-go/reflect2 with $REFLECT2_VERSION (Go 1.18+ maps)"
  modcache=$(mktemp -d /var/tmp/lab-reflect2.XXXXXX)
  dir=$(cd "$modcache" && GOMODCACHE="$modcache/mod" GOPATH="$modcache/gopath" GOFLAGS=-modcacherw \
    "$kube_goroot/bin/go" mod download -json "github.com/modern-go/reflect2@$REFLECT2_VERSION" |
    awk -F'"' '$2 == "Dir" {print $4}')
  [ -f "$dir/reflect2.go" ] || { echo "build-artifacts: could not fetch reflect2 $REFLECT2_VERSION" >&2; exit 1; }
  rm -rf "$vendored" && mkdir -p "$vendored"
  cp -r "$dir/." "$vendored/"
  chmod -R u+w "$vendored"
  sed -i "s|github.com/modern-go/reflect2 v1.0.1|github.com/modern-go/reflect2 $REFLECT2_VERSION|g" "$src/vendor/modules.txt"
  echo "$REFLECT2_VERSION" >"$vendored/.k8s-classic-version"
  rm -rf "$modcache"
fi

step "building ${components[*]} (about 5 minutes on 2 cores)"
gopath="$work/gopath"
mkdir -p "$gopath/src/k8s.io"
ln -sfn "$src" "$gopath/src/k8s.io/kubernetes"
targets=$(printf 'cmd/%s ' "${components[@]}")
(
  cd "$gopath/src/k8s.io/kubernetes"
  export PATH="$kube_goroot/bin:$PATH" GOROOT=$kube_goroot GOTOOLCHAIN=local
  export GOPATH=$gopath GO111MODULE=off GOFLAGS=-mod=vendor GOCACHE="$work/gocache"
  step "Go toolchain: $(command -v go) ($(go version))"
  export KUBE_GIT_VERSION=$KUBE_VERSION KUBE_GIT_TREE_STATE=clean CGO_ENABLED=0
  unset GOFLAGS
  make WHAT="$targets" 2>&1 | while IFS= read -r line; do printf '  %s\n' "$line"; done
)
for c in "${components[@]}"; do
  install -m 0755 "$src/_output/bin/$c" "$out/bin/$c"
done
(cd "$out/bin" && sha256sum "${components[@]}" >SHA256SUMS)
"$out/bin/kubectl" version --client --short 2>/dev/null | sed 's/^/  /' >&2 || true

# Images, built without a registry: a rootfs tarball -> docker import -> docker save.
"$here/ensure-docker.sh"
img="$work/images"
rm -rf "$img" && mkdir -p "$img/pause" "$img/busybox/bin"
step "building $PAUSE_IMAGE from build/pause/linux/pause.c"
gcc -Os -static -DVERSION="${PAUSE_IMAGE##*:}" -o "$img/pause/pause" "$src/build/pause/linux/pause.c"
tar -C "$img/pause" -c pause | docker import -c 'ENTRYPOINT ["/pause"]' - "$PAUSE_IMAGE" >/dev/null
docker save -o "$out/images/pause.tar" "$PAUSE_IMAGE"

step "building $BUSYBOX_IMAGE from Debian's busybox-static"
cp /bin/busybox "$img/busybox/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ "$applet" = busybox ] || ln -s busybox "$img/busybox/bin/$applet"
done
mkdir -p "$img/busybox/etc" "$img/busybox/tmp"
echo 'root:x:0:0:root:/root:/bin/sh' >"$img/busybox/etc/passwd"
tar -C "$img/busybox" -c . | docker import -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin' - "$BUSYBOX_IMAGE" >/dev/null
docker save -o "$out/images/busybox.tar" "$BUSYBOX_IMAGE"

echo "$recipe" >"$out/RECIPE"
step "done: $out"
ls -la "$out/bin" "$out/images" >&2
