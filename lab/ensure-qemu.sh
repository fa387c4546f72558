#!/usr/bin/env bash
# Make sure the tools of the VM platforms (molecule/shared/vm-create.yml) are here:
# qemu-system-x86_64, qemu-img and genisoimage. On a machine without them, install Debian's
# qemu-system-x86, qemu-utils and genisoimage. Prints a clear message and exits 1 when impossible.
set -euo pipefail
declare -A package=([qemu-system-x86_64]=qemu-system-x86 [qemu-img]=qemu-utils [genisoimage]=genisoimage)
missing=()
for tool in "${!package[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${package[$tool]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-qemu: missing ${missing[*]} and I cannot install them here" >&2
  echo "  (need root and apt-get; install them yourself: apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "ensure-qemu: installing Debian's ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for tool in "${!package[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "ensure-qemu: $tool is still missing" >&2; exit 1; }
done
