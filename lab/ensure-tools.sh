#!/usr/bin/env bash
# ensure-tools.sh TOOL:PACKAGE...: make sure each TOOL is on PATH; install the Debian PACKAGE
# of each missing one (root and apt-get needed). Prints a clear message and exits 1 when that
# is impossible or a tool is still missing afterwards.
#   bash lab/ensure-tools.sh qemu-img:qemu-utils genisoimage:genisoimage
set -euo pipefail
missing=()
for pair in "$@"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-tools: missing ${missing[*]} and I cannot install them here" >&2
  echo "  (need root and apt-get; install them yourself: apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "ensure-tools: installing Debian's ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
for pair in "$@"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || { echo "ensure-tools: ${pair%%:*} is still missing" >&2; exit 1; }
done
