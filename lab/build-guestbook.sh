#!/usr/bin/env bash
# Build the guestbook's image for the lab (and for air-gapped users) offline:
#   <cache>/guestbook/images/guestbook.tar   (docker save format, tag $GUESTBOOK_IMAGE)
# One small image serves all three parts of the guestbook (examples/guestbook): Debian's
# redis-server for the master and the slaves, and busybox's httpd with redis-cli for the
# frontend (a shell CGI script, in the manifests). A Debian root filesystem from debootstrap
# (minbase) with those packages, imported with `docker import` (no registry, no base image).
# A valid cache (same recipe, archive present) is reused in seconds.
set -euo pipefail
GUESTBOOK_IMAGE=${GUESTBOOK_IMAGE:-lab.local/guestbook:1}
SUITE=bookworm
PACKAGES=redis-server,redis-tools,busybox
LAB_CACHE=${LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/k8s-classic-lab}
out="$LAB_CACHE/guestbook"
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab/debian-rootfs.sh
. "$here/debian-rootfs.sh"
recipe=$( (cat "$0" "$here/debian-rootfs.sh"; echo "$GUESTBOOK_IMAGE $SUITE $PACKAGES") | sha256sum | cut -c1-16)
step() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

mkdir -p "$LAB_CACHE"
exec 9>"$LAB_CACHE/guestbook.lock"
flock 9
if [ -f "$out/RECIPE" ] && [ "$(cat "$out/RECIPE")" = "$recipe" ] && [ -f "$out/images/guestbook.tar" ]; then
  step "guestbook image is cached in $out"
  exit 0
fi

"$here/ensure-docker.sh"
rootfs=$(mktemp -d /var/tmp/lab-guestbook.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
step "building $GUESTBOOK_IMAGE: debootstrap $SUITE minbase + $PACKAGES (a minute or two)"
debian_rootfs "$rootfs" "$SUITE" "$PACKAGES"
# busybox's applets (httpd, sh, wget) on PATH
chroot "$rootfs" /bin/busybox --install -s /usr/local/bin
mkdir -p "$out/images"
tar -C "$rootfs" -c . |
  docker import -c 'CMD ["redis-server", "--protected-mode", "no"]' -c 'EXPOSE 6379' - "$GUESTBOOK_IMAGE" >/dev/null
docker save -o "$out/images/guestbook.tar" "$GUESTBOOK_IMAGE"
echo "$recipe" >"$out/RECIPE"
step "built $GUESTBOOK_IMAGE ($(docker image inspect -f '{{.Size}}' "$GUESTBOOK_IMAGE" | awk '{printf "%d MB", $1/1e6}')): $out/images/guestbook.tar"
