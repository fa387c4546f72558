"""The fast subset of the Kubernetes conformance suite against the cluster: Services, DNS, pods,
ConfigMaps and Secrets, exec and logs (lab/conformance/suite.yml,
conformance_subset), run by lab/conformance.yml as `make conformance` runs the whole suite:
e2e.test on the first master, its images pulled from the cluster's registry.

Runs when K8S_TEST_CONFORMANCE=subset (the default scenario sets it): e2e.test, ginkgo and the
images are built offline by lab/build-conformance.sh (cached; make test starts that build
early). Fails when any test of the subset fails, and when fewer tests ran than the subset's
patterns select from the release's conformance.yaml (a pattern that no longer matches)."""
import json
import os
import re
import subprocess

import pytest
import yaml

from conftest import INVENTORY
from helpers import REPO, run_playbook

pytestmark = pytest.mark.skipif(os.environ.get("K8S_TEST_CONFORMANCE") != "subset",
                                reason="K8S_TEST_CONFORMANCE=subset runs the conformance subset")

CACHE = os.environ.get("LAB_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "k8s-classic-lab")
SUITE = os.path.join(CACHE, "conformance", "v1.20.2")
RESULTS = os.path.join(CACHE, "conformance", "results", "subset")


def selected():
    """The release's conformance tests the subset's patterns select (what must pass)."""
    with open(os.path.join(REPO, "lab", "conformance", "suite.yml"), encoding="utf-8") as handle:
        suite = yaml.safe_load(handle)
    with open(os.path.join(SUITE, "conformance.yaml"), encoding="utf-8") as handle:
        names = [entry["codename"] for entry in yaml.safe_load(handle)]
    focus = re.compile("(" + "|".join(suite["conformance_subset"]) + r").*\[Conformance\]")
    return sorted(n for n in names if focus.search(n) and "[Serial]" not in n)


def test_the_conformance_subset_passes():
    built = subprocess.run(["bash", os.path.join(REPO, "lab", "build-conformance.sh")],
                           capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr[-3000:]
    want = selected()
    assert len(want) >= 15, f"the subset selects only {len(want)} conformance tests: {want}"

    result = run_playbook("lab/conformance.yml", INVENTORY, "@" + os.path.join(SUITE, "images.yml"),
                          "conformance_mode=subset", timeout=3600)
    summary_path = os.path.join(RESULTS, "summary.json")
    assert os.path.exists(summary_path), result.stdout[-6000:] + result.stderr[-2000:]
    with open(summary_path, encoding="utf-8") as handle:
        summary = json.load(handle)
    print(f"\nconformance subset: {len(summary['passed'])} passed, {len(summary['failed'])} failed "
          f"of {len(want)} selected, in {result.seconds:.0f} s (playbook, images pushed, tests run)")
    assert not summary["failed"], "failed conformance tests:\n  " + "\n  ".join(summary["failed"])
    assert result.returncode == 0, result.stdout[-6000:]
    missing = sorted(set(want) - set(summary["passed"]))
    assert not missing, "selected by the subset but not passed:\n  " + "\n  ".join(missing)
