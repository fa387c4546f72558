"""A dry run of site.yml on the converged cluster fails nowhere and would change nothing, but
for one thing put there on purpose: kube-proxy's binary on the first node is installed again
(a new file, as a new build of the same version would be), while the old one keeps running.
The dry run must find that and only that, and would restart kube-proxy (kube_binaries' `replaced` entry point: the process
runs a deleted file); kube-proxy is restarted afterwards so the cluster is as it was."""
from conftest import INVENTORY, NODES, host, setting
from helpers import recap, run_playbook

BINARY = setting("k8s_bin_dir", "/usr/local/bin") + "/kube-proxy"


def test_check_diff_on_converged_cluster_changes_only_a_replaced_binary():
    node = host(NODES[0])
    node.check_output(f"cp {BINARY} {BINARY}.copy && install -m 0755 {BINARY}.copy {BINARY} && rm {BINARY}.copy")
    pid = node.check_output("systemctl show --property=MainPID --value kube-proxy")
    assert node.check_output(f"readlink /proc/{pid}/exe").endswith("(deleted)")
    try:
        result = run_playbook("site.yml", INVENTORY, check=True, timeout=900)
    finally:
        node.check_output("systemctl restart kube-proxy")
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    counts = recap(result)
    assert counts, result.stdout[-2000:]
    # what was found, and the handler that would restart kube-proxy
    assert counts[NODES[0]]["changed"] == 2, counts
    assert f"kube-proxy runs {BINARY} (deleted): it is restarted" in result.stdout
    assert all(c["changed"] == 0 for name, c in counts.items() if name != NODES[0]), counts
