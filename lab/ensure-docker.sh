#!/usr/bin/env bash
# Make sure a Docker engine answers. On a machine without one, install Debian's
# docker.io and start dockerd in the background (the lab has no init system that
# would start it for us). Prints a clear message and exits 1 when impossible.
set -euo pipefail
log=${LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/k8s-classic-lab}/dockerd.log

answers() { timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if answers; then
  exit 0
fi

bash "$(dirname "$0")/ensure-tools.sh" dockerd:docker.io

mkdir -p "$(dirname "$log")"
echo "ensure-docker: starting dockerd in the background (log: $log)" >&2
nohup dockerd >"$log" 2>&1 &
for _ in $(seq 1 60); do
  if answers; then
    echo "ensure-docker: Docker $(docker version --format '{{.Server.Version}}') is up" >&2
    exit 0
  fi
  sleep 1
done
echo "ensure-docker: dockerd did not answer within 60 s; last lines of $log:" >&2
tail -n 20 "$log" >&2 || true
exit 1
