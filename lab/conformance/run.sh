#!/usr/bin/env bash
# run.sh DIR: run the conformance tests set up in DIR (by lab/conformance.yml) on this host,
# the first master. ginkgo runs e2e.test with the settings in DIR/settings: the tests that may
# run side by side first (DIR/report/parallel), then, when SERIAL_FOCUS is set, the [Serial]
# ones alone (DIR/report/serial). The [Disruptive] conformance tests (two NoExecuteTaintManager
# tests that taint a node) are [Serial] too and run only there, where no other test sees the
# taint, as a certified run does. The JUnit reports are the result (lab/conformance/summary.py
# counts them); the exit status only says whether ginkgo could run at all.
set -uo pipefail
dir=$1
# shellcheck source=/dev/null
. "$dir/settings"   # FOCUS SERIAL_FOCUS SKIP PARALLEL KUBECONFIG KUBECTL DNS_DOMAIN
export KUBE_TEST_REPO_LIST="$dir/repo-list.yml"
rm -rf "$dir/report"
mkdir -p "$dir/report/parallel" "$dir/report/serial"
e2e=(--kubeconfig="$KUBECONFIG" --provider=skeleton --kubectl-path="$KUBECTL"
  --dns-domain="$DNS_DOMAIN" --disable-log-dump)
never='\[Flaky\]'
[ -n "$SKIP" ] && never="$never|$SKIP"
rc=0
echo "== $(date +%T) the tests that may run side by side ($PARALLEL processes)"
"$dir/ginkgo" -nodes="$PARALLEL" -noColor -focus="$FOCUS" -skip="\[Serial\]|\[Disruptive\]|$never" \
  "$dir/e2e.test" -- "${e2e[@]}" --report-dir="$dir/report/parallel" || rc=$?
if [ -n "$SERIAL_FOCUS" ]; then
  echo "== $(date +%T) the [Serial] tests, one at a time"
  "$dir/ginkgo" -noColor -focus="$SERIAL_FOCUS" -skip="$never" \
    "$dir/e2e.test" -- "${e2e[@]}" --report-dir="$dir/report/serial" || rc=$?
fi
echo "== $(date +%T) done (ginkgo's last non-zero exit: $rc; a failed test is one)"
[ -n "$(find "$dir/report" -name 'junit_*.xml')" ]
