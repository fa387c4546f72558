"""Shared by the cluster tests: which hosts, which groups, how to run kubectl.

The same tests run under Molecule (MOLECULE_INVENTORY_FILE) and against any real
cluster: K8S_INVENTORY=inventory/mycluster/hosts.yml pytest tests/verify
"""
import os
import sys
import time

import pytest
import testinfra.utils.ansible_runner

# tests/helpers.py: what every test directory shares (this file is loaded before the tests)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

INVENTORY = os.environ.get("MOLECULE_INVENTORY_FILE") or os.environ.get("K8S_INVENTORY")
if not INVENTORY:
    raise RuntimeError("set K8S_INVENTORY to your inventory (Molecule sets MOLECULE_INVENTORY_FILE)")
RUNNER = testinfra.utils.ansible_runner.AnsibleRunner(INVENTORY)


def pytest_collection_modifyitems(items):
    """The conformance subset runs last (the others keep their order): `make test` builds
    e2e.test and its images (about 20 minutes from a fresh machine) while the cluster
    converges, and the other tests give that build the time to end instead of waiting for it
    at the start; the subset then judges the cluster after the tests that lose a master and
    renew every certificate."""
    items.sort(key=lambda item: item.path.name == "test_conformance.py")


def group(name):
    return sorted(RUNNER.get_hosts(name))


def setting(name, default):
    """A cluster setting (k8s_*) as the inventory sets it, else its documented default
    (roles/preflight/defaults/main.yml)."""
    hosts = RUNNER.get_hosts("all")
    return RUNNER.get_variables(hosts[0]).get(name, default) if hosts else default


ETCD = group(setting("k8s_etcd_group", "etcd"))
MASTERS = group(setting("k8s_masters_group", "masters"))
NODES = group(setting("k8s_nodes_group", "nodes"))
PKI_DIR = setting("k8s_pki_dir", "/etc/kubernetes/pki")
CONFIG_DIR = setting("k8s_config_dir", "/etc/kubernetes")
KUBECTL = setting("k8s_bin_dir", "/usr/local/bin") + "/kubectl"
ALL = sorted(set(ETCD + MASTERS + NODES))
# the hosts of the pod network (the overlay's mesh, each with a pod subnet): nodes and masters
POD_NETWORK = sorted(set(MASTERS + NODES))
# the cluster's own registry (optional): its hosts are cluster hosts too (firewall sources)
REGISTRIES = group(setting("k8s_registry_group", "registry"))
# the cluster's own systemd services and the hosts each runs on (the container runtime also
# runs on the nodes, the overlay's ovs-gre-network on the nodes and the masters)
SERVICES = {
    "etcd": ETCD,
    "kube-apiserver": MASTERS,
    "kube-controller-manager": MASTERS,
    "kube-scheduler": MASTERS,
    "kubelet": NODES,
    "kube-proxy": NODES,
}
RUNTIME = os.environ.get("LAB_RUNTIME") or os.environ.get("K8S_RUNTIME") or "containerd"


def host(name):
    return testinfra.get_host("ansible://" + name, ansible_inventory=INVENTORY)


def address(name):
    """The address the cluster uses for a host (what preflight derives)."""
    h = host(name)
    variables = h.ansible.get_variables()
    if variables.get("k8s_node_ip"):
        return variables["k8s_node_ip"]
    return h.ansible("setup", "gather_subset=network")["ansible_facts"]["ansible_default_ipv4"]["address"]


@pytest.fixture(scope="session")
def master():
    return host(MASTERS[0])


def kubectl_on(name):
    """kubectl on a master, with its admin kubeconfig (its own API server): run(*args, stdin=None)."""
    def run(*args, stdin=None):
        cmd = KUBECTL + " " + " ".join(args)
        if stdin is not None:
            cmd = "printf '%s' {} | {}".format(_quote(stdin), cmd)
        return host(name).run(cmd)
    return run


@pytest.fixture(scope="session")
def kubectl():
    """kubectl on the first master; the test pods' service account exists (helpers.TEST_ACCOUNT)."""
    # helpers is on sys.path only once the module above has set it up
    from helpers import TEST_ACCOUNT_MANIFEST  # pylint: disable=import-outside-toplevel
    run = kubectl_on(MASTERS[0])
    created = run("apply -f -", stdin=TEST_ACCOUNT_MANIFEST)
    assert created.rc == 0, created.stderr
    return run


PROBE_LOG = "/tmp/k8s-test-apiserver-probe.log"


def start_api_probe(node, seconds):
    """A transient systemd unit on the node: every 0.2 s, GET /healthz through the node's way to
    the API servers (the kubelet's kubeconfig), one line per answer: <time> ok|fail."""
    script = ("end=$(($(date +%s)+{seconds})); while [ $(date +%s) -lt $end ]; do "
              "if {kubectl} --kubeconfig {config}/kubelet.kubeconfig get --raw /healthz --request-timeout=2s "
              ">/dev/null 2>&1; then r=ok; else r=fail; fi; echo \"$(date +%s.%N) $r\"; sleep 0.2; done "
              "> {log}").format(seconds=seconds, kubectl=KUBECTL, config=CONFIG_DIR, log=PROBE_LOG)
    unit = "k8s-test-apiserver-probe-{}".format(int(time.time()))
    node.check_output("systemd-run --unit=%s sh -c %s", unit, script)
    return unit


def api_probe_gaps(node, unit):
    """Stop the probe; (answers, failures, longest time in seconds between two answers)."""
    node.run("systemctl stop %s", unit)
    lines = [line.split() for line in node.file(PROBE_LOG).content_string.splitlines() if len(line.split()) == 2]
    ok = [float(t) for t, r in lines if r == "ok"]
    gaps = [b - a for a, b in zip(ok, ok[1:])]
    return len(ok), len(lines) - len(ok), max(gaps) if gaps else None


def _quote(text):
    return "'" + text.replace("'", "'\"'\"'") + "'"
