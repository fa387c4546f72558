"""A dry run of site.yml on the converged cluster fails nowhere and would change nothing."""
from conftest import INVENTORY
from helpers import recap, run_playbook


def test_check_diff_on_converged_cluster_changes_nothing():
    result = run_playbook("site.yml", INVENTORY, check=True, timeout=900)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    counts = recap(result)
    assert counts, result.stdout[-2000:]
    assert all(c["changed"] == 0 for c in counts.values()), counts
