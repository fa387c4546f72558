#!/usr/bin/env bash
# make conformance: the Kubernetes conformance suite of 1.20 against the lab cluster.
#   1. e2e.test, ginkgo and the tests' images, built offline (lab/build-conformance.sh, cached)
#   2. the lab cluster (make lab) unless its first master answers already
#   3. lab/conformance.yml: the images into the cluster's registry, the tests run on the first
#      master, the JUnit reports and the totals back here (<cache>/conformance/results/<mode>)
# conformance.sh [full|subset]: subset is the fast part that also runs inside make test.
# LAB_INVENTORY picks another lab inventory (the default is inventory/lab/hosts.yml).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH" ANSIBLE_CONFIG="$PWD/ansible.cfg"
inventory=${LAB_INVENTORY:-inventory/lab/hosts.yml}
mode=${1:-full}
case "$mode" in full | subset) ;; *) echo "conformance.sh: mode '$mode' is neither full nor subset" >&2; exit 2 ;; esac
LAB_CACHE=${LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/k8s-classic-lab}
KUBE_VERSION=${KUBE_VERSION:-v1.20.2}
step() { printf '\n[%s] == %s\n' "$(date +%T)" "$*"; }

step "the conformance suite and its images (lab/build-conformance.sh)"
bash lab/build-conformance.sh
master=$(ansible-inventory -i "$inventory" --graph masters | awk -F'--' '/--/ {print $NF; exit}')
if ! ansible -i "$inventory" "$master" -m ansible.builtin.ping >/dev/null 2>&1; then
  step "no lab cluster answers on $master: make lab"
  bash lab/up.sh
fi
step "the $mode conformance run (lab/conformance.yml; the run's output: $master:/var/tmp/k8s-conformance/run.log)"
started=$(date +%s)
rc=0
ansible-playbook -i "$inventory" lab/conformance.yml -e "@$LAB_CACHE/conformance/$KUBE_VERSION/images.yml" \
  -e "conformance_mode=$mode" || rc=$?
echo "conformance ($mode) took $(( ($(date +%s) - started) / 60 )) minutes; reports in $LAB_CACHE/conformance/results/$mode"
exit "$rc"
