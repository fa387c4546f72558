# shellcheck shell=bash
# Sourced by the lab's image builds (lab/build-guestbook.sh, lab/build-conformance.sh); their
# recipes include this file, so a change here rebuilds their images.
# debian_rootfs DIR SUITE PACKAGES: a Debian minbase root filesystem in DIR with PACKAGES
# (comma-separated), from this machine's own Debian mirror, without package lists, caches,
# docs, man pages, locales or logs: the root of an image for `docker import`.
debian_rootfs() {
  local dir=$1 suite=$2 packages=$3 mirror
  command -v debootstrap >/dev/null 2>&1 ||
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq debootstrap >/dev/null
  mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:.*\/debian\/?$/ {print $2; exit}' || true)
  debootstrap --variant=minbase --include="$packages" "$suite" "$dir" "${mirror:-http://deb.debian.org/debian}" |
    awk '/^(E|W):/ {print "  debootstrap: " $0}'
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/* "$dir"/usr/share/doc/* \
    "$dir"/usr/share/man/* "$dir"/usr/share/locale/* "$dir"/var/log/*
}
