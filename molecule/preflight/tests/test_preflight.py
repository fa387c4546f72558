"""site.yml refuses a bad inventory in its first play, naming the bad value, and changes nothing.

Each case writes an inventory of this scenario's bare node containers with one thing wrong,
runs the whole site.yml and checks: it failed, the message names the value, every host in
the PLAY RECAP has changed=0, and afterwards the hosts are still bare.
"""
import concurrent.futures
import json
import os
import pathlib
import re
import subprocess
import tempfile

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
LAB_VARS = os.path.join(REPO, "inventory", "lab", "group_vars")
HOSTS = {"pf-master1": "172.30.41.11", "pf-node1": "172.30.41.21", "pf-node2": "172.30.41.22"}
GOOD_GROUPS = {"etcd": ["pf-master1"], "masters": ["pf-master1"], "nodes": ["pf-node1", "pf-node2"]}


def inventory(tmp_path, groups=None, host_vars=None, ungrouped=()):
    """An inventory of the scenario's containers (lab group_vars linked in)."""
    groups = GOOD_GROUPS if groups is None else groups
    host_vars = host_vars or {}
    data = {"all": {
        "vars": {"ansible_connection": "community.docker.docker", "ansible_user": "root"},
        "hosts": {name: dict(host_vars.get(name, {})) for name in ungrouped},
        "children": {group: {"hosts": {h: dict(host_vars.get(h, {})) for h in members}}
                     for group, members in groups.items()},
    }}
    # host names that are not container names reach a container through ansible_host
    for group in data["all"]["children"].values():
        for name, variables in group["hosts"].items():
            if name not in HOSTS:
                variables.setdefault("ansible_host", "pf-node2")
    path = tmp_path / "hosts.yml"
    path.write_text(json.dumps(data))
    (tmp_path / "group_vars").symlink_to(LAB_VARS)
    return str(path)


def site(inventory_path, *extra, check=False):
    argv = [os.path.join(REPO, ".venv", "bin", "ansible-playbook"), "-i", inventory_path,
            os.path.join(REPO, "site.yml")]
    for key, value in extra:
        argv += ["-e", json.dumps({key: value})]
    if check:
        argv += ["--check", "--diff"]
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_FORCE_COLOR="0", ANSIBLE_STDOUT_CALLBACK="default")
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=900, check=False)


def recap(result):
    """{host: {'changed': n, 'failed': n, ...}} from the PLAY RECAP."""
    out = {}
    for line in result.stdout.split("PLAY RECAP")[-1].splitlines():
        match = re.match(r"^(\S+)\s+:\s+(.*)$", re.sub(r"\x1b\[[0-9;]*m", "", line).strip())
        if match:
            out[match.group(1)] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", match.group(2))}
    return out


def assert_refused(result, *messages):
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    for message in messages:
        assert message in output, output[-3000:]
    assert recap(result), output[-3000:]
    assert all(counts["changed"] == 0 for counts in recap(result).values()), recap(result)


def host_is_bare(name):
    probe = subprocess.run(["docker", "exec", name, "sh", "-c",
                            "test ! -e /etc/kubernetes && test ! -e /usr/local/bin/kubelet && "
                            "! dpkg -s etcd-server containerd openvswitch-switch >/dev/null 2>&1"],
                           capture_output=True, check=False)
    return probe.returncode == 0


CASES = {
    "no master": (dict(groups={"etcd": ["pf-master1"], "masters": [], "nodes": ["pf-node1", "pf-node2"]}), [],
                  ["groups 'masters' (found 0)"]),
    "no etcd member": (dict(groups={"etcd": [], "masters": ["pf-master1"], "nodes": ["pf-node1", "pf-node2"]}), [],
                       ["'etcd' (found 0)"]),
    "non-DNS node name": (dict(groups={"etcd": ["pf-master1"], "masters": ["pf-master1"],
                                       "nodes": ["pf-node1", "Pf_Node2"]},
                               host_vars={"Pf_Node2": {"k8s_node_ip": "172.30.41.99"}}), [],
                          ["Host name 'Pf_Node2' is not a valid Kubernetes node name"]),
    "host in no group": (dict(groups={"etcd": ["pf-master1"], "masters": ["pf-master1"], "nodes": ["pf-node1"]},
                              ungrouped=["pf-node2"]), [], ["pf-node2", "in none of the groups"]),
    "duplicate address": (dict(host_vars={"pf-node2": {"k8s_node_ip": "172.30.41.21"}}), [],
                          ["address '172.30.41.21'", "pf-node1, pf-node2"]),
    "invalid pod CIDR": (dict(), [("k8s_pod_cidr", "10.244.0.0/33")], ["k8s_pod_cidr '10.244.0.0/33'"]),
    "pod and service ranges overlap": (dict(), [("k8s_service_cidr", "10.244.128.0/17")],
                                       ["k8s_service_cidr '10.244.128.0/17'", "must not overlap"]),
    "pod range overlaps the hosts": (dict(), [("k8s_pod_cidr", "172.30.0.0/16")],
                                     ["address 172.30.41.11 lies inside k8s_pod_cidr 172.30.0.0/16"]),
    # three nodes, but a /24 in /25 subnets holds two
    "pod range too small for the nodes": (dict(groups={"etcd": ["pf-master1"], "masters": ["pf-master1"],
                                                       "nodes": ["pf-master1", "pf-node1", "pf-node2"]}),
                                          [("k8s_pod_cidr", "10.244.0.0/24"), ("k8s_node_pod_prefix", 25)],
                                          ["k8s_pod_cidr 10.244.0.0/24 split into /25 node subnets does not hold 3 nodes"]),
    "reversed NodePort range": (dict(), [("k8s_nodeport_range", "32767-30000")], ["k8s_nodeport_range '32767-30000'"]),
    "NodePort range over the cluster's ports": (dict(), [("k8s_nodeport_range", "2000-7000")],
                                                ["k8s_nodeport_range '2000-7000'", "apiserver 6443"]),
    "unsupported version": (dict(), [("k8s_version", "v1.19.16")], ["k8s_version 'v1.19.16'"]),
    "unsupported runtime": (dict(), [("k8s_container_runtime", "cri-o")],
                            ["k8s_container_runtime must be one of: containerd, docker, got: cri-o"]),
    "missing offline binaries": (dict(), [("kube_binaries_local_dir", "/nonexistent/bin")],
                                 ["kube_binaries_local_dir '/nonexistent/bin'"]),
    "missing image archive": (dict(), [("node_preload_images", [{"name": "x:1", "archive": "/nonexistent/x.tar"}])],
                              ["/nonexistent/x.tar"]),
    "unsupported OS": (dict(), [("k8s_supported_os", [{"family": "RedHat", "distribution": "CentOS", "major": ["7"]}])],
                       ["runs Debian 12", "does not support"]),
}


@pytest.fixture(scope="module")
def refusals():
    """Every case's run of site.yml; four at a time (each stops in preflight, or should)."""
    def run(case):
        inventory_args, extra, _ = CASES[case]
        return case, site(inventory(pathlib.Path(tempfile.mkdtemp(prefix="preflight-")), **inventory_args), *extra)
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(run, sorted(CASES)))


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_inventory_is_refused_before_any_change(case, refusals):
    assert_refused(refusals[case], *CASES[case][2])


def test_even_etcd_count_is_warned(tmp_path):
    groups = {"etcd": ["pf-master1", "pf-node1"], "masters": ["pf-master1"], "nodes": ["pf-node1", "pf-node2"]}
    # a second mistake stops the run after the warning, so nothing is deployed
    result = site(inventory(tmp_path, groups=groups), ("k8s_nodeport_range", "1-2"))
    assert "2 etcd members: an even count" in result.stdout
    assert_refused(result, "k8s_nodeport_range '1-2'")


def test_dry_run_on_bare_hosts_reports_changes_and_changes_nothing(tmp_path):
    result = site(inventory(tmp_path), check=True)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    counts = recap(result)
    assert set(counts) == set(HOSTS)
    assert all(c["changed"] > 0 and c["failed"] == 0 for c in counts.values()), counts


@pytest.mark.parametrize("name", sorted(HOSTS))
def test_hosts_are_still_bare(name):
    assert host_is_bare(name)
