#!/usr/bin/env bash
# make test: every check of the project on this machine:
#   lint (yamllint, ansible-lint production profile) and the changelog fragments
#   (antsibull-changelog lint); then, side by side, ansible-test sanity and the modules' unit
#   tests (ansible-test units, on a copy of the collection under a path ending
#   ansible_collections/k8s_classic/cluster: tests/sanity/run.sh) and the lab's prerequisites
#   (engine, node image, offline artifacts); then the Molecule scenarios on real node
#   containers, in two lanes that run at the same time (each lane one scenario after the
#   other: most of a scenario's time is spent waiting on services, pods and package
#   installs, and two lanes keep a full run within CI's time on two cores). A scenario that
#   needs the Kubernetes artifacts waits until they are built.
# Every stage runs even when an earlier one failed; each stage's whole output is in
# $TEST_LOGS/<stage>.log (default .cache/test-logs), the end is a pytest-style summary with
# the last lines of every failed stage, and the exit status is non-zero when any stage failed.
# SCENARIOS overrides the scenarios: lanes separated by '|', each a list of scenario[:runtime],
# e.g. SCENARIOS="systemd" make test, or SCENARIOS="ovs_gre | day2:docker" make test.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
export PATH="$PWD/.venv/bin:$PATH" ANSIBLE_CONFIG="$PWD/ansible.cfg" PY_COLORS=0 ANSIBLE_FORCE_COLOR=0
logs=${TEST_LOGS:-$PWD/.cache/test-logs}
mkdir -p "$logs"
# The default scenario (the cluster with its registry) runs with containerd and firewalld,
# day2 with docker, so that each runtime has a cluster; default:docker is left out for CI's
# time (`SCENARIOS="default:docker" make test` runs it).
# From a fresh machine the first lane is the longer (about 56 minutes: ovs_gre 12, preflight
# 16, day2 28), the second about 55 (the artifact builds, then default's HA cluster, 32, plus
# about 10 for its conformance subset: an estimate from a lab run, not yet timed in CI).
SCENARIOS=${SCENARIOS:-"ovs_gre preflight day2:docker | systemd default:containerd"}
# Scenarios that need only the engine and the node image, not the Kubernetes artifacts: they
# start while the artifacts are still being built (on a fresh machine, minutes).
IMAGE_ONLY="systemd ovs_gre ovs_gre_vm"
# Scenarios with a registry host, which also need the images pushed into it (the guestbook's)
# and crane, which pushes them: the others start before those two are built.
REGISTRY_IMAGES="default"

results=$(mktemp)
trap 'rm -f "$results"' EXIT
started=$(date +%s)

stage() {  # stage NAME COMMAND... : run it, its output to $logs/NAME.log, its result to $results
  local name=$1 t0 rc took
  shift
  t0=$(date +%s)
  printf '[%s] ==== %s: %s\n' "$(date +%T)" "$name" "$*"
  if [ -n "${QUIET:-}" ]; then
    "$@" >"$logs/$name.log" 2>&1
    rc=$?
  else
    "$@" 2>&1 | tee "$logs/$name.log"
    rc=${PIPESTATUS[0]}
  fi
  took=$(($(date +%s) - t0))
  if [ "$rc" = 0 ]; then
    echo "PASSED $name (${took}s)" >>"$results"
  else
    echo "FAILED $name (${took}s, exit $rc, log $logs/$name.log)" >>"$results"
  fi
  printf '[%s] ==== %s: %s in %ss\n' "$(date +%T)" "$name" "$([ "$rc" = 0 ] && echo passed || echo FAILED)" "$took"
}

molecule_scenario() {  # molecule_scenario SCENARIO RUNTIME
  # firewalld runs on the hosts of the containerd cluster only: docker's own firewalld
  # integration (its zone for the bridge) is not tested here yet
  local firewalld=yes
  [ "$2" = docker ] && firewalld=no
  LAB_RUNTIME=$2 LAB_FIREWALLD=$firewalld molecule test -s "$1"
}

lane() {  # lane ENTRY... : the scenarios one after the other, output only to their logs
  local entry scenario runtime
  for entry in "$@"; do
    scenario=${entry%%:*}
    runtime=${entry#*:}
    [ "$runtime" = "$entry" ] && runtime=containerd
    if [ ! -d "molecule/$scenario" ]; then
      echo "FAILED molecule-$scenario (no such scenario)" >>"$results"
      continue
    fi
    case " $IMAGE_ONLY " in
      *" $scenario "*) ;;
      *) while [ ! -e "$artifacts_done" ]; do sleep 5; done ;;
    esac
    case " $REGISTRY_IMAGES " in
      *" $scenario "*) while [ ! -e "$registry_images_done" ]; do sleep 5; done ;;
    esac
    QUIET=1 stage "molecule-$scenario-$runtime" molecule_scenario "$scenario" "$runtime"
  done
}

# The lint and ansible-test beside the lab's prerequisites, which the scenarios need: the
# engine and the node image first, then (in the background, while the scenarios that need
# only the image run) the offline Kubernetes artifacts and CoreDNS, which the other scenarios
# start after, then the guestbook image and crane (which pushes images into the cluster
# registry), which the scenarios with a registry wait for too. kube-bench and the conformance
# suite (e2e.test and its images: about 20 minutes of niced compiling from a fresh machine)
# are built last, as only the default scenario's verify step (half an hour into it) uses
# them: its conformance test is its last (tests/verify/conftest.py) and waits for the build
# if it is still running (lab/build-conformance.sh holds a lock while it builds). From a
# fresh machine the builds are the start of the longest lane's path, so nothing else is put
# before them.
(QUIET=1 stage yamllint yamllint --strict .
 QUIET=1 stage ansible-lint ansible-lint
 QUIET=1 stage changelog antsibull-changelog lint
 QUIET=1 stage sanity bash tests/sanity/run.sh sanity
 QUIET=1 stage units bash tests/sanity/run.sh units) &
checks=$!
stage lab-image bash -c 'bash lab/ensure-docker.sh && bash lab/build-image.sh'
artifacts_done=$(mktemp -u)
registry_images_done=$(mktemp -u)
trap 'rm -f "$results" "$artifacts_done" "$registry_images_done"' EXIT
(QUIET=1 stage lab-artifacts bash -c 'bash lab/build-artifacts.sh && bash lab/build-coredns.sh'
 touch "$artifacts_done"
 QUIET=1 stage lab-registry-images bash -c 'bash lab/build-guestbook.sh && bash lab/build-crane.sh'
 touch "$registry_images_done"
 QUIET=1 stage lab-kube-bench bash lab/build-kube-bench.sh
 QUIET=1 stage lab-conformance bash lab/build-conformance.sh) &
checks_artifacts=$!

lanes=()
IFS='|' read -r -a lane_lists <<<"$SCENARIOS"
for list in "${lane_lists[@]}"; do
  # shellcheck disable=SC2086 # a lane is a space-separated list
  lane $list &
  lanes+=($!)
done
wait "$checks" "$checks_artifacts" "${lanes[@]}"

passed=$(grep -c '^PASSED' "$results")
failed=$(grep -c '^FAILED' "$results")
# CI shows only the end of this output: the failed stages' last lines first, then the
# summary, then for each failed stage the lines that say why (Ansible's fatal and failed
# tasks, pytest's failures), so the reason is on screen even when the rest is cut off.
while read -r _ name _; do
  [ -f "$logs/$name.log" ] || continue
  printf '\n---------- last lines of %s ----------\n' "$name"
  tail -n 40 "$logs/$name.log"
done < <(grep '^FAILED' "$results")
printf '\n==================== short test summary ====================\n'
cat "$results"
while read -r _ name _; do
  [ -f "$logs/$name.log" ] || continue
  printf '\n---------- why %s failed ----------\n' "$name"
  grep -E -B1 -A2 '^fatal: |^failed: |^FAILED |^E   |^ERROR|CRITICAL' "$logs/$name.log" | cut -c1-400 | tail -n 20
done < <(grep '^FAILED' "$results")
printf '==================== %s passed, %s failed in %ss ====================\n' \
  "$passed" "$failed" "$(($(date +%s) - started))"
printf '%s passed, %s failed\n' "$passed" "$failed"
[ "$failed" = 0 ]
