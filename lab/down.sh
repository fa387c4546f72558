#!/usr/bin/env bash
# make lab-destroy: remove the lab's node containers (with their volumes) and network.
# The caches (image, Kubernetes artifacts) and the cluster PKI under inventory/lab/.pki stay.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH" ANSIBLE_CONFIG="$PWD/ansible.cfg"
if ! docker info >/dev/null 2>&1; then
  echo "lab-destroy: no Docker engine answers, so there is no lab to remove"
  exit 0
fi
ansible-playbook -i "${LAB_INVENTORY:-inventory/lab/hosts.yml}" lab/destroy.yml
