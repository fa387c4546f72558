#!/usr/bin/env bash
# Build the Debian 12 VM image offline and print its directory:
#   ${LAB_CACHE:-~/.cache/k8s-classic-lab}/vm/<recipe-hash>/{base.qcow2,vmlinuz,initrd.img}
# The root filesystem is the lab node image's (lab/build-image.sh) plus what a VM needs that a
# container does not: the Debian kernel, openssh-server, cloud-init (NoCloud seed), ifupdown, and
# the units the container recipe masks (udev, getty, modules-load, ...) unmasked again.
# The disk has no partition table and no boot loader: QEMU boots it with -kernel/-initrd
# (molecule/shared/vm-create.yml). The recipe hash covers this script and the node image's id,
# so the image is rebuilt only when one of them changes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${LAB_CACHE:-$HOME/.cache/k8s-classic-lab}
disk_size=${LAB_VM_DISK_SIZE:-8G}
vm_packages=(linux-image-amd64 openssh-server cloud-init ifupdown udev kmod netbase)

node_image=$(bash "$here/build-image.sh")
node_image_id=$(docker image inspect -f '{{.Id}}' "$node_image")
hash=$( { cat "$0"; echo "$node_image_id $disk_size"; } | sha256sum | cut -c1-12)
out=$cache/vm/$hash
if [[ -f $out/done ]]; then
  echo "$out"
  exit 0
fi
bash "$here/ensure-tools.sh" mkfs.ext4:e2fsprogs qemu-img:qemu-utils

start=$(date +%s)
work=$(mktemp -d /var/tmp/lab-vm.XXXXXX)
rootfs=$work/rootfs
container=
cleanup() {
  for m in dev/pts dev proc sys; do
    mountpoint -q "$rootfs/$m" 2>/dev/null && umount -l "$rootfs/$m"
  done
  [[ -n $container ]] && docker rm -f "$container" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
echo "[$(date +%T)] building the VM image $out from $node_image (a few minutes)" >&2

mkdir -p "$rootfs"
container=$(docker create "$node_image")
docker export "$container" | tar -C "$rootfs" -x
docker rm -f "$container" >/dev/null
container=

# A container's view of /etc that docker wrote: replace with a machine's.
rm -f "$rootfs/.dockerenv"
printf 'nameserver 10.0.2.3\n' >"$rootfs/etc/resolv.conf"   # QEMU user network's DNS
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' >"$rootfs/etc/hosts"
echo debian >"$rootfs/etc/hostname"

mount -t proc proc "$rootfs/proc"
mount -t sysfs sys "$rootfs/sys"
mount --bind /dev "$rootfs/dev"
mount --bind /dev/pts "$rootfs/dev/pts"
chroot "$rootfs" apt-get -qq update >&2
# the kernel's postinst must not look for a boot loader
DEBIAN_FRONTEND=noninteractive chroot "$rootfs" apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef "${vm_packages[@]}" >"$work/apt.log" 2>&1 \
  || { tail -30 "$work/apt.log" >&2; exit 1; }
chroot "$rootfs" systemctl unmask getty.target systemd-udevd.service systemd-udevd-kernel.socket \
  systemd-udevd-control.socket systemd-modules-load.service sys-kernel-config.mount \
  sys-kernel-debug.mount sys-kernel-tracing.mount systemd-remount-fs.service >/dev/null 2>&1
chroot "$rootfs" systemctl enable serial-getty@ttyS0.service ssh.service >/dev/null 2>&1
for m in dev/pts dev proc sys; do umount -l "$rootfs/$m"; done

# cloud-init: the NoCloud seed only (no network probes for other clouds), root reached by key.
cat >"$rootfs/etc/cloud/cloud.cfg.d/90-k8s-classic-lab.cfg" <<'EOF'
# k8s-classic lab VM image: seeded by a NoCloud ISO (label cidata), nothing else.
datasource_list: [NoCloud, None]
EOF
printf '/dev/vda / ext4 defaults,errors=remount-ro 0 1\n' >"$rootfs/etc/fstab"
printf 'auto lo\niface lo inet loopback\nsource /etc/network/interfaces.d/*\n' >"$rootfs/etc/network/interfaces"
# host keys and machine id are made on each VM's first boot (no copy of an ID in dbus's place)
rm -f "$rootfs"/etc/ssh/ssh_host_*
: >"$rootfs/etc/machine-id"
ln -sfn /etc/machine-id "$rootfs/var/lib/dbus/machine-id"
cp "$(readlink -f "$rootfs/vmlinuz")" "$work/vmlinuz"
cp "$(readlink -f "$rootfs/initrd.img")" "$work/initrd.img"
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
touch -d @0 "$rootfs"/var/lib/apt/lists

mkfs.ext4 -q -F -L root -d "$rootfs" "$work/disk.raw" "$disk_size"
qemu-img convert -O qcow2 "$work/disk.raw" "$work/base.qcow2"
mkdir -p "$out"
mv "$work/base.qcow2" "$work/vmlinuz" "$work/initrd.img" "$out/"
touch "$out/done"
echo "[$(date +%T)] built $out in $(( $(date +%s) - start )) s ($(du -sh "$out/base.qcow2" | cut -f1) qcow2)" >&2
echo "$out"
