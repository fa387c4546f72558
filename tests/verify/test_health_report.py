"""The health report (playbooks/verify.yml) against the running cluster: it passes and lists
every host, warning about each host that holds a certificate expiring within 30 days (the
default scenario's last two days); with kube-scheduler stopped on the first master, or the
pod range's route gone from it, it fails and names the check."""
import re
from datetime import datetime, timedelta, timezone

from cryptography import x509

from conftest import ALL, INVENTORY, MASTERS, PKI_DIR, POD_NETWORK, host, setting
from helpers import recap, run_playbook, wait

WARN_DAYS = 30  # cluster_verify_cert_warn_days

PLAYBOOK = "playbooks/verify.yml"


def _table(result):
    """The report's rows as (host, check, status) from the printed table."""
    rows = []
    for line in result.stdout.splitlines():
        match = re.match(r'^\s*"(\S+)\s{2,}(.+?)\s{2,}(OK|WARN|FAIL)\s{2,}', line)
        if match:
            rows.append(match.groups())
    return rows


def _expiring_soon():
    """The hosts with a certificate in PKI_DIR that expires within WARN_DAYS."""
    soon = datetime.now(timezone.utc) + timedelta(days=WARN_DAYS)
    hosts = []
    for name in ALL:
        node = host(name)
        for path in node.check_output("find %s -name '*.crt'", PKI_DIR).split():
            cert = x509.load_pem_x509_certificate(node.file(path).content_string.encode())
            if cert.not_valid_after_utc < soon:
                hosts.append(name)
                break
    return hosts


def test_report_passes_and_lists_every_host():
    result = run_playbook(PLAYBOOK, INVENTORY)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    rows = _table(result)
    assert {r[0] for r in rows} == set(ALL), rows
    assert all(row[2] != "FAIL" for row in rows), rows
    checks = {r[1] for r in rows}
    for expected in ("etcd member health", "etcd leader", "kube-apiserver /readyz",
                     "kube-controller-manager /healthz", "kube-scheduler /healthz", "node Ready (API)"):
        assert expected in checks, checks
    assert any(c.startswith("GRE port ") for c in checks) and any(c.startswith("DNS ") for c in checks)
    # the overlay is checked on every host of the pod network, masters included
    meshed = {r[0] for r in rows if r[1].startswith("GRE mesh on ")}
    assert meshed == set(POD_NETWORK), rows
    # and every master's API server reaches pods (CoreDNS's, through its proxy)
    assert {r[0] for r in rows if r[1] == "API server -> pods (proxy)"} == set(MASTERS), rows
    warned = {r[0] for r in rows if re.match(r"certificates \(\d+\)$", r[1]) and r[2] == "WARN"}
    assert warned == set(_expiring_soon()), rows
    assert all(counts["changed"] == 0 for counts in recap(result).values()), recap(result)
    print("verify.yml: {} rows, {:.0f} s".format(len(rows), result.seconds))


def test_report_fails_naming_a_stopped_scheduler():
    master = host(MASTERS[0])
    try:
        master.run("systemctl stop kube-scheduler")
        result = run_playbook(PLAYBOOK, INVENTORY)
        assert result.returncode != 0
        assert (MASTERS[0], "kube-scheduler /healthz", "FAIL") in _table(result), result.stdout[-3000:]
        assert "{}: kube-scheduler /healthz".format(MASTERS[0]) in result.stdout
    finally:
        master.run("systemctl start kube-scheduler")
        assert wait(lambda: master.service("kube-scheduler").is_running, timeout=60)


def test_report_fails_when_a_master_leaves_the_pod_network():
    """Without the route of the pod range on the first master (its kbr0 and its own subnet
    stay), its API server cannot reach the pods on the nodes: the report says so, on the pod
    route and on the API server's proxy to CoreDNS; ovs-gre-network puts the route back."""
    master = host(MASTERS[0])
    pod_cidr = setting("k8s_pod_cidr", "10.244.0.0/16")
    try:
        assert master.run("ip route del %s dev kbr0", pod_cidr).rc == 0
        result = run_playbook(PLAYBOOK, INVENTORY)
        assert result.returncode != 0
        table = _table(result)
        assert (MASTERS[0], "API server -> pods (proxy)", "FAIL") in table, result.stdout[-3000:]
        assert (MASTERS[0], "pod route " + pod_cidr, "FAIL") in table, result.stdout[-3000:]
        assert "{}: API server -> pods (proxy)".format(MASTERS[0]) in result.stdout
    finally:
        master.run("systemctl restart ovs-gre-network")
    assert " dev kbr0" in master.check_output("ip -4 route show %s", pod_cidr)
