#!/usr/bin/env bash
# Build the Kubernetes conformance suite and the images its tests run, offline:
#   <cache>/conformance/<version>/bin/{e2e.test,ginkgo}          + SHA256SUMS
#   <cache>/conformance/<version>/images/<name>.tar             (docker save format)
#   <cache>/conformance/<version>/images.yml   lab_registry_images: name, archive, what it is
#       (what lab/push-images.yml pushes into the cluster's registry)
# e2e.test, ginkgo and the Go test images (agnhost, sample-apiserver, nonewprivs) are built
# from the same Debian kubernetes source tree and Go toolchain as the cluster's binaries
# (lab/build-artifacts.sh, which fetches the tree). The other images the [Conformance] tests
# run are made from Debian packages (debootstrap minbase, then `docker import`), under the
# names the suite asks for below our own registry (KUBE_TEST_REPO_LIST, see
# lab/conformance.yml); what each one is, and how it differs from upstream's, is in images.yml
# and in the README ("Conformance").
# A valid cache (same recipe, files present, checksums good) is reused in seconds.
# Runs niced: it is two cores of compiling for 10 to 20 minutes the first time.
set -euo pipefail

KUBE_VERSION=${KUBE_VERSION:-v1.20.2}
SUITE=bookworm
LAB_CACHE=${LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/k8s-classic-lab}
out="$LAB_CACHE/conformance/$KUBE_VERSION"
work="$LAB_CACHE/build/kubernetes-$KUBE_VERSION"
here=$(cd "$(dirname "$0")" && pwd)
KUBE_GO_PACKAGE=${KUBE_GO_PACKAGE:-golang-1.19-go}
kube_goroot=/usr/lib/go-${KUBE_GO_PACKAGE#golang-}
kube_goroot=${kube_goroot%-go}
# Packages of the Debian base the network test images share (agnhost's Dockerfile installs
# the same tools on Alpine: bind-tools, curl, netcat-openbsd, iproute2, iperf, bash).
BASE_PACKAGES=dnsutils,curl,netcat-openbsd,iproute2,iperf,bash,ca-certificates
# shellcheck source=lab/debian-rootfs.sh
. "$here/debian-rootfs.sh"
recipe=$( (cat "$0" "$here/build-artifacts.sh" "$here/debian-rootfs.sh"; echo "$KUBE_VERSION $SUITE $BASE_PACKAGES $KUBE_GO_PACKAGE") | sha256sum | cut -c1-16)
binaries=(e2e.test ginkgo)

step() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

mkdir -p "$LAB_CACHE"
exec 9>"$LAB_CACHE/conformance.lock"
flock 9

cache_valid() {
  [ -f "$out/RECIPE" ] && [ "$(cat "$out/RECIPE")" = "$recipe" ] || return 1
  [ -f "$out/images.yml" ] && [ -f "$out/conformance.yaml" ] || return 1
  while read -r archive; do [ -f "$archive" ] || return 1; done < <(awk '$1 == "archive:" {print $2}' "$out/images.yml")
  (cd "$out/bin" && sha256sum --quiet -c SHA256SUMS) >/dev/null 2>&1
}

if cache_valid; then
  step "conformance suite for $KUBE_VERSION is cached in $out (checksums good)"
  exit 0
fi

# the source tree, Go toolchain and the cluster's own images (pause, busybox)
"$here/build-artifacts.sh"
"$here/build-coredns.sh" >/dev/null
src=$(find "$work" -maxdepth 1 -type d -name 'kubernetes-1.20*' | head -n1)
artifacts="$LAB_CACHE/kubernetes/$KUBE_VERSION"
coredns_bin="$LAB_CACHE/coredns/1.7.0/bin/coredns"

go_targets=(test/e2e/e2e.test vendor/github.com/onsi/ginkgo/ginkgo test/images/agnhost
  test/images/nonewprivs vendor/k8s.io/sample-apiserver)
step "building ${go_targets[*]} (about 20 minutes on 2 cores the first time)"
gopath="$work/gopath"
# the GOPATH link to the tree, as lab/build-artifacts.sh makes it when it builds (a cached
# artifacts run leaves the link as it was, which may name another LAB_CACHE's tree)
mkdir -p "$gopath/src/k8s.io"
ln -sfn "$src" "$gopath/src/k8s.io/kubernetes"
(
  cd "$gopath/src/k8s.io/kubernetes"
  export PATH="$kube_goroot/bin:$PATH" GOROOT=$kube_goroot GOTOOLCHAIN=local
  export GOPATH=$gopath GO111MODULE=off GOCACHE="$work/gocache"
  export KUBE_GIT_VERSION=$KUBE_VERSION KUBE_GIT_TREE_STATE=clean CGO_ENABLED=0
  nice -n 19 make WHAT="${go_targets[*]}" 2>&1 | while IFS= read -r line; do printf '  %s\n' "$line"; done
)
mkdir -p "$out/bin" "$out/images"
for b in "${binaries[@]}"; do
  install -m 0755 "$src/_output/bin/$b" "$out/bin/$b"
done
(cd "$out/bin" && sha256sum "${binaries[@]}" >SHA256SUMS)
# every conformance test of the release by name: what lab/conformance/summary.py counts against
cp "$src/test/conformance/testdata/conformance.yaml" "$out/conformance.yaml"

# Images
"$here/ensure-docker.sh"
tmp=$(mktemp -d /var/tmp/lab-conformance.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
list="$tmp/images.yml"
printf -- '---\n# made by lab/build-conformance.sh: the images of the conformance tests, for lab/push-images.yml\nlab_registry_images:\n' >"$list"

save() {  # save NAME:TAG... -- WHAT: docker save the image under each name, list it
  local names=() what file
  while [ "$1" != -- ]; do names+=("$1"); shift; done
  what=$2
  for name in "${names[@]}"; do
    docker tag "${names[0]}" "$name"
    file="$out/images/$(echo "$name" | tr '/:' '__').tar"
    docker save -o "$file" "$name"
    printf '  - name: "%s"\n    archive: %s\n    what: "%s"\n' "$name" "$file" "$what" >>"$list"
    step "  $name: $what"
  done
}

image() {  # image DIR NAME:TAG... -- WHAT [docker import -c changes...]: import DIR, save it
  local dir=$1 names=()
  shift
  while [ "$1" != -- ]; do names+=("$1"); shift; done
  tar -C "$dir" -c . | docker import "${@:3}" - "${names[0]}" >/dev/null
  save "${names[@]}" -- "$2"
}

reuse() {  # reuse ARCHIVE NAME:TAG -- WHAT: an image built already (docker save), saved under NAME
  local loaded
  loaded=$(docker load -i "$1" | awk '/^Loaded image: / {print $3; exit}')
  docker tag "$loaded" "$2"
  save "$2" -- "$4"
}

layer() {  # layer CONTEXT NAME:TAG -- WHAT: docker build CONTEXT, whose Dockerfile starts FROM
  # a local image (no registry), so that the images on one base share its layer (pushed once,
  # pulled once per node)
  local said
  # the classic builder (no buildx needed), its notice that it is deprecated left out
  if ! said=$(DOCKER_BUILDKIT=0 docker build -q -t "$2" "$1" 2>&1); then
    echo "$said" >&2
    return 1
  fi
  save "$2" -- "$4"
}

# The suite's names, relative to the registry (lab/conformance.yml maps the suite's
# registries there); the tags are the ones test/utils/image/manifest.go of 1.20 asks for.
step "building the Debian base of the test images (debootstrap $SUITE minbase + $BASE_PACKAGES)"
debian_rootfs "$tmp/base" "$SUITE" "$BASE_PACKAGES"
cp -a "$coredns_bin" "$tmp/base/coredns"
base="lab.local/conformance-base:$recipe"
tar -C "$tmp/base" -c . |
  docker import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$base" >/dev/null

step "jessie-dnsutils (dig, nslookup: Debian $SUITE's dnsutils, upstream: Debian jessie)"
docker tag "$base" e2e/jessie-dnsutils:1.0
save e2e/jessie-dnsutils:1.0 -- "Debian $SUITE with dnsutils and CoreDNS (upstream: Debian jessie)"

step "agnhost, kitten, nautilus (the tree's test/images/agnhost, tagged as 1.20's suite asks)"
mkdir -p "$tmp/agnhost"
install -m 0755 "$src/_output/bin/agnhost" "$tmp/agnhost/agnhost"
cp "$src/test/images/agnhost/porter/localhost.crt" "$src/test/images/agnhost/porter/localhost.key" "$tmp/agnhost/"
printf '%s\n' "FROM $base" 'COPY agnhost localhost.crt localhost.key /' \
  'RUN ln -s agnhost /agnhost-2 && mkdir /uploads' 'EXPOSE 80 8080 8081 9376' \
  'ENTRYPOINT ["/agnhost"]' 'CMD ["pause"]' >"$tmp/agnhost/Dockerfile"
agnhost_version=$(cat "$src/test/images/agnhost/VERSION")
layer "$tmp/agnhost" e2e-test-images/agnhost:2.21 -- \
  "agnhost $agnhost_version from the tree's test/images/agnhost on Debian $SUITE (upstream: Alpine 3.6)"
for pet in kitten nautilus; do
  mkdir -p "$tmp/$pet"
  cp "$src/test/images/$pet/html/$pet.jpg" "$src/test/images/$pet/html/data.json" "$tmp/$pet/"
  printf '%s\n' 'FROM e2e-test-images/agnhost:2.21' "COPY $pet.jpg data.json /" \
    'CMD ["test-webserver"]' >"$tmp/$pet/Dockerfile"
  layer "$tmp/$pet" "e2e/$pet:1.0" -- "agnhost test-webserver serving test/images/$pet/html"
done

step "nonewprivs (test/images/nonewprivs, setuid)"
mkdir -p "$tmp/nnp"
install -m 0755 "$src/_output/bin/nonewprivs" "$tmp/nnp/nnp"
printf '%s\n' "FROM $base" 'COPY nnp /usr/local/bin/nnp' 'RUN chmod u+s /usr/local/bin/nnp' \
  'CMD ["nnp"]' >"$tmp/nnp/Dockerfile"
layer "$tmp/nnp" e2e/nonewprivs:1.0 -- "test/images/nonewprivs on Debian $SUITE (upstream: Alpine 3.6)"

step "busybox and pause: the cluster's own images (lab/build-artifacts.sh), named as the suite asks"
reuse "$artifacts/images/busybox.tar" library/busybox:1.29 -- "the cluster's busybox: Debian $SUITE's busybox-static (upstream: 1.29)"
reuse "$artifacts/images/pause.tar" pause:3.2 -- "the cluster's pause image (build/pause)"

step "sample-apiserver (the tree's staging k8s.io/sample-apiserver) and etcd (Debian's etcd-server)"
mkdir -p "$tmp/sample"
install -m 0755 "$src/_output/bin/sample-apiserver" "$tmp/sample/sample-apiserver"
printf '%s\n' 'FROM library/busybox:1.29' 'COPY sample-apiserver /' 'ENTRYPOINT ["/sample-apiserver"]' >"$tmp/sample/Dockerfile"
layer "$tmp/sample" e2e/sample-apiserver:1.17 -- \
  "sample-apiserver from the tree's staging/src/k8s.io/sample-apiserver (1.20; upstream image: 0.17), on busybox"
debian_rootfs "$tmp/etcd" "$SUITE" etcd-server
mkdir -p "$tmp/etcd/usr/local/bin"
ln -sf /usr/bin/etcd "$tmp/etcd/usr/local/bin/etcd"
image "$tmp/etcd" etcd:3.4.13-0 -- "Debian $SUITE's etcd-server $(chroot "$tmp/etcd" etcd --version | awk '/etcd Version/ {print $3}') (upstream: 3.4.13)" \
  -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin'

step "httpd (Debian's apache2, document root where the suite expects it), nginx (Debian's)"
debian_rootfs "$tmp/httpd" "$SUITE" apache2
mkdir -p "$tmp/httpd/usr/local/apache2/htdocs" "$tmp/httpd/usr/local/bin"
echo '<html><body><h1>It works!</h1></body></html>' >"$tmp/httpd/usr/local/apache2/htdocs/index.html"
cat >"$tmp/httpd/etc/apache2/sites-available/000-default.conf" <<'EOF'
<VirtualHost *:80>
    DocumentRoot /usr/local/apache2/htdocs
    ErrorLog /dev/stderr
    CustomLog /dev/stdout combined
</VirtualHost>
<Directory /usr/local/apache2/htdocs>
    Require all granted
</Directory>
EOF
cat >"$tmp/httpd/usr/local/bin/httpd-foreground" <<'EOF'
#!/bin/sh
# as upstream's image: apache in the foreground, the pid file of a stopped container removed
set -e
rm -f /var/run/apache2/apache2.pid
. /etc/apache2/envvars
mkdir -p "$APACHE_RUN_DIR" "$APACHE_LOCK_DIR" "$APACHE_LOG_DIR"
exec apache2 -DFOREGROUND "$@"
EOF
chmod 0755 "$tmp/httpd/usr/local/bin/httpd-foreground"
image "$tmp/httpd" library/httpd:2.4.38-alpine library/httpd:2.4.39-alpine -- \
  "Debian $SUITE's apache2 serving /usr/local/apache2/htdocs (upstream: httpd on Alpine)" \
  -c 'CMD ["httpd-foreground"]' -c 'EXPOSE 80' \
  -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin'
debian_rootfs "$tmp/nginx" "$SUITE" nginx-light
ln -sf /dev/stdout "$tmp/nginx/var/log/nginx/access.log" 2>/dev/null || { mkdir -p "$tmp/nginx/var/log/nginx"; ln -sf /dev/stdout "$tmp/nginx/var/log/nginx/access.log"; }
ln -sf /dev/stderr "$tmp/nginx/var/log/nginx/error.log"
image "$tmp/nginx" library/nginx:1.14-alpine library/nginx:1.15-alpine -- \
  "Debian $SUITE's nginx-light (upstream: nginx on Alpine)" \
  -c 'CMD ["nginx", "-g", "daemon off;"]' -c 'EXPOSE 80' \
  -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin'

mv "$list" "$out/images.yml"
echo "$recipe" >"$out/RECIPE"
step "done: $out"
