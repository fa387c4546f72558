# Lab node image recipe: Debian 12 (bookworm) with systemd and what a node needs.
# Sourced by lab/build-image.sh. A recipe defines IMAGE_NAME and a function
# build_rootfs DIR that fills DIR with a root filesystem; build-image.sh imports it.
# Another recipe (for example an EL or CentOS 7 image where a registry is reachable)
# can replace this one: LAB_IMAGE_RECIPE=lab/images/<name>/recipe.sh.
# openvswitch, containerd, docker and etcd are NOT baked in: the roles install them.
IMAGE_NAME=k8s-classic-lab/debian12
SUITE=bookworm
PACKAGES=systemd,systemd-sysv,dbus,python3,python3-apt,iproute2,iptables,conntrack,socat,ca-certificates,procps,iputils-ping,kmod,less

build_rootfs() {
  local dir=$1 mirror
  mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:.*\/debian\/?$/ {print $2; exit}' || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$dir" "$mirror" \
    | awk '/^I: (Retrieving|Validating|Extracting|Unpacking|Configuring) / {n++; if (n % 50 == 0) printf "  debootstrap: %d steps, now: %s\n", n, $0; next} {print "  debootstrap: " $0}'
  # systemd inside a container: no gettys, no hardware units, boots to multi-user.
  chroot "$dir" systemctl mask getty.target systemd-udevd.service systemd-udevd-kernel.socket \
    systemd-udevd-control.socket systemd-modules-load.service sys-kernel-config.mount \
    sys-kernel-debug.mount sys-kernel-tracing.mount systemd-remount-fs.service >/dev/null 2>&1
  chroot "$dir" systemctl set-default multi-user.target >/dev/null 2>&1
  # No machine ID in the image: each container (or VM made from it) gets its own at first boot.
  # dbus's package left a copy in /var/lib/dbus/machine-id, which systemd would take instead
  # (every node the same ID; systemd-udevd derives bridge MACs from it on a real kernel).
  : >"$dir/etc/machine-id"
  ln -sfn /etc/machine-id "$dir/var/lib/dbus/machine-id"
  printf 'deb %s %s main\ndeb %s %s-updates main\n' "$mirror" "$SUITE" "$mirror" "$SUITE" >"$dir/etc/apt/sources.list"
  # keep the image small: no apt lists or caches, no docs
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/usr/share/doc/* "$dir"/usr/share/man/*
  # an empty package list must look stale, so that the first `apt update_cache` refreshes it
  touch -d @0 "$dir"/var/lib/apt/lists
  rm -f "$dir"/var/lib/apt/periodic/update-success-stamp
}

# docker import changes: how the container starts
IMAGE_CHANGES=(-c 'CMD ["/lib/systemd/systemd"]' -c 'ENV container=docker')
