#!/usr/bin/env bash
# Build the lab node image offline (debootstrap + docker import) and print its name.
# The tag is a hash of the recipe, so the image is rebuilt only when the recipe changes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
recipe=${LAB_IMAGE_RECIPE:-$here/images/debian12/recipe.sh}
# shellcheck source=images/debian12/recipe.sh
source "$recipe"
tag=$(sha256sum "$recipe" | cut -c1-12)
image="$IMAGE_NAME:$tag"

"$here/ensure-docker.sh"
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "$image"
  exit 0
fi
command -v debootstrap >/dev/null 2>&1 || {
  echo "build-image: installing debootstrap" >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq debootstrap >/dev/null
}
rootfs=$(mktemp -d /var/tmp/lab-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
echo "[$(date +%T)] building $image from $recipe (about a minute)" >&2
build_rootfs "$rootfs" >&2
tar -C "$rootfs" -c . | docker import "${IMAGE_CHANGES[@]}" - "$image" >/dev/null
docker tag "$image" "$IMAGE_NAME:latest"
echo "[$(date +%T)] built $image ($(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%d MB", $1/1e6}'))" >&2
echo "$image"
