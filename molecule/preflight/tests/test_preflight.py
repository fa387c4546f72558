"""site.yml refuses bad settings in its preflight (playbooks/preflight.yml), naming the bad
value, and changes nothing.

Each case writes an inventory of this scenario's bare node containers with one thing wrong,
runs the whole site.yml and checks: it failed, the message names the value, every host in
the PLAY RECAP has changed=0, and afterwards the hosts are still bare. Cases that need the
controller itself to differ (a Python module or a collection missing, its clock ahead) run
one at a time with that difference in the environment of ansible-playbook only.
"""
import concurrent.futures
import json
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest
from helpers import REPO, recap, run_playbook

LAB_VARS = os.path.join(REPO, "inventory", "lab", "group_vars")
HOSTS = {"pf-master1": "172.30.41.11", "pf-node1": "172.30.41.21", "pf-node2": "172.30.41.22"}
GOOD_GROUPS = {"etcd": ["pf-master1"], "masters": ["pf-master1"], "nodes": ["pf-node1", "pf-node2"]}
LAB_BIN = os.path.join(os.environ.get("LAB_CACHE") or os.path.expanduser("~/.cache/k8s-classic-lab"),
                       "kubernetes", "v1.20.2", "bin")
# Runs Python where /sys/fs/cgroup is the unified cgroup v2 hierarchy, as on a host booted
# with it (Debian 12, Ubuntu 22.04+, EL 9): a private mount namespace with cgroup2 mounted on
# top of the lab's hybrid tree, for the module only; the container itself is not changed.
CGROUP2_PYTHON = "/root/cgroup2-python"
CGROUP2_WRAPPER = ("#!/bin/sh\nexec unshare --mount --propagation private sh -c "
                   "'mount -t cgroup2 cgroup2 /sys/fs/cgroup && exec /usr/bin/python3 \"$@\"' python3 \"$@\"\n")


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


def assert_refused(result, *messages, absent=()):
    output = result.stdout + result.stderr
    assert result.returncode not in (0, None), output[-3000:]
    for message in messages:
        assert message in output, output[-3000:]
    for message in absent:
        assert message not in output, output[-3000:]
    assert recap(result), output[-3000:]
    assert all(counts["changed"] == 0 for counts in recap(result).values()), recap(result)


def host_is_bare(name):
    probe = subprocess.run(["docker", "exec", name, "sh", "-c",
                            "test ! -e /etc/kubernetes && test ! -e /usr/local/bin/kubelet && "
                            "! dpkg -s etcd-server containerd openvswitch-switch >/dev/null 2>&1"],
                           capture_output=True, check=False)
    return probe.returncode == 0


def other_arch_bin():
    """A copy of the lab's binaries where kubectl says it is an aarch64 ELF binary."""
    directory = pathlib.Path(tempfile.mkdtemp(prefix="preflight-bin-"))
    for name in os.listdir(LAB_BIN):
        if name != "kubectl":
            (directory / name).symlink_to(os.path.join(LAB_BIN, name))
    with open(os.path.join(LAB_BIN, "kubectl"), "rb") as source:
        header = bytearray(source.read(64))
    assert header[:4] == b"\x7fELF" and header[18:20] == b"\x3e\x00", "the lab's kubectl is not x86_64"
    header[18:20] = b"\xb7\x00"  # e_machine EM_AARCH64
    with open(os.path.join(LAB_BIN, "kubectl"), "rb") as source, open(directory / "kubectl", "wb") as copy:
        source.seek(64)
        copy.write(header)
        shutil.copyfileobj(source, copy)
    return str(directory)


GROUPS_3_NODES = {"etcd": ["pf-master1"], "masters": ["pf-master1"], "nodes": ["pf-master1", "pf-node1", "pf-node2"]}
INSECURE_API = ("control_plane_apiserver_extra_args", ["--anonymous-auth=true"])

# name: (inventory arguments, extra vars, messages the output must hold)
CASES = {
    # the inventory
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
    "node address not on the host": (dict(host_vars={"pf-node2": {"k8s_node_ip": "172.30.41.99"}}), [],
                                     ["pf-node2: k8s_node_ip 172.30.41.99 is not an address of this host"]),
    # cluster-wide settings (preflight)
    "unsupported version": (dict(), [("k8s_version", "v1.19.16")], ["k8s_version 'v1.19.16'"]),
    "unsupported runtime": (dict(), [("k8s_container_runtime", "cri-o")],
                            ["k8s_container_runtime must be one of: containerd, docker, got: cri-o"]),
    "cluster name not a DNS label": (dict(), [("k8s_cluster_name", "My_Cluster")], ["k8s_cluster_name 'My_Cluster'"]),
    "cluster domain not a DNS name": (dict(), [("k8s_cluster_domain", "cluster..local")],
                                      ["k8s_cluster_domain 'cluster..local'"]),
    "invalid pod CIDR": (dict(), [("k8s_pod_cidr", "10.244.0.0/33")], ["k8s_pod_cidr '10.244.0.0/33'"]),
    "pod and service ranges overlap": (dict(), [("k8s_service_cidr", "10.244.128.0/17")],
                                       ["k8s_service_cidr '10.244.128.0/17'", "must not overlap"]),
    "service range too small for DNS": (dict(), [("k8s_service_cidr", "10.254.0.0/29")],
                                        ["k8s_service_cidr '10.254.0.0/29' has 8 addresses"]),
    "service range too large": (dict(), [("k8s_service_cidr", "100.64.0.0/10")],
                                ["k8s_service_cidr '100.64.0.0/10' has 4194304 addresses"]),
    # three nodes, but a /24 in /25 subnets holds two
    "pod range too small for the nodes": (dict(groups=GROUPS_3_NODES),
                                          [("k8s_pod_cidr", "10.244.0.0/24"), ("k8s_node_pod_prefix", 25)],
                                          ["k8s_pod_cidr 10.244.0.0/24 split into /25 subnets does not hold 3 nodes and "
                                           "masters"]),
    # a master has a pod subnet too (it is in the overlay): pinned onto a node's, it is refused
    "master's pod subnet taken by a node": (dict(host_vars={"pf-master1": {"k8s_pod_subnet": "10.244.21.0/24"}}), [],
                                            ["Host 'pf-master1' gets pod subnet 10.244.21.0/24", "pf-node1"]),
    "reversed NodePort range": (dict(), [("k8s_nodeport_range", "32767-30000")], ["k8s_nodeport_range '32767-30000'"]),
    "NodePort range over the cluster's ports": (dict(), [("k8s_nodeport_range", "2000-7000")],
                                                ["k8s_nodeport_range '2000-7000'", "apiserver 6443"]),
    "apiserver port on etcd's": (dict(), [("k8s_apiserver_port", 2379)], ["k8s_apiserver_port 2379, k8s_etcd_client_port 2379"]),
    "etcd client port on the peer port": (dict(), [("k8s_etcd_peer_port", 2379)], ["k8s_etcd_peer_port 2379 must be distinct"]),
    "apiserver port on the kubelet's": (dict(), [("k8s_apiserver_port", 10250)], ["k8s_apiserver_port 10250", "10248-10259"]),
    "port out of range": (dict(), [("k8s_etcd_client_port", 70000)], ["k8s_etcd_client_port 70000"]),
    "port 0": (dict(), [("k8s_etcd_peer_port", 0)], ["k8s_etcd_peer_port 0 must be distinct ports from 1 to 65535"]),
    "load balancer port on the apiserver's": (dict(), [("k8s_apiserver_lb_port", 6443)],
                                              ["k8s_apiserver_lb_port 6443, k8s_apiserver_port 6443"]),
    "apiserver endpoint with a path": (dict(), [("k8s_apiserver_endpoint", "https://lb.example.com/k8s")],
                                       ["k8s_apiserver_endpoint 'https://lb.example.com/k8s' must be https://HOST"]),
    # each host against its facts (preflight)
    "pod range holds the hosts": (dict(), [("k8s_pod_cidr", "172.30.0.0/16")],
                                  ["network 172.30.41.0/24 (address 172.30.41.11) overlaps k8s_pod_cidr 172.30.0.0/16"]),
    "pod range inside the hosts' network": (dict(), [("k8s_pod_cidr", "172.30.41.128/25"), ("k8s_node_pod_prefix", 28)],
                                            ["network 172.30.41.0/24", "overlaps k8s_pod_cidr 172.30.41.128/25"]),
    "service range inside the hosts' network": (dict(), [("k8s_service_cidr", "172.30.41.240/28")],
                                                ["network 172.30.41.0/24", "k8s_service_cidr 172.30.41.240/28"]),
    "NodePort range over the ephemeral ports": (dict(), [("k8s_nodeport_range", "30000-40000")],
                                                ["k8s_nodeport_range '30000-40000' overlaps the host's ephemeral port range "
                                                 "32768-60999"]),
    "unsupported OS": (dict(), [("k8s_supported_os", [{"family": "RedHat", "distribution": "CentOS", "major": ["7"]}])],
                       ["runs Debian 12", "does not support", "Supported: CentOS 7"]),
    "cgroup v2 host with Kubernetes 1.20": (dict(host_vars={"pf-node1": {"ansible_python_interpreter": CGROUP2_PYTHON}}),
                                            [], ["pf-node1 boots with the unified cgroup v2 hierarchy",
                                                 "Kubernetes v1.20.2 does not support",
                                                 "systemd.unified_cgroup_hierarchy=0", "reboot"]),
    # each role's validate entry point
    "prerequisites: forwarding off": (dict(), [("prerequisites_sysctls", {"net.ipv4.ip_forward": 0})],
                                      ["prerequisites_sysctls sets net.ipv4.ip_forward to 0"]),
    "kube_binaries: missing offline binaries": (dict(), [("kube_binaries_local_dir", "/nonexistent/bin")],
                                                ["kube_binaries_local_dir '/nonexistent/bin'"]),
    "kube_binaries: unreachable release URL": (dict(), [("kube_binaries_source", "url")],
                                               ["cannot reach https://dl.k8s.io/release/v1.20.2/bin/linux/amd64/",
                                                ".sha256 to check version v1.20.2"]),
    "kube_binaries: local binaries of another version": (dict(), [("k8s_version", "v1.20.3"),
                                                                  ("kube_binaries_local_dir", LAB_BIN)],
                                                         ["kube-apiserver reports 'Kubernetes v1.20.2', not k8s_version "
                                                          "v1.20.3"]),
    "kube_binaries: local binaries of another architecture": (dict(), [("kube_binaries_local_dir", "OTHER_ARCH_BIN")],
                                                              ["/kubectl is an ELF binary for aarch64, but the hosts are "
                                                               "x86_64"]),
    "pki: extra SAN without prefix": (dict(), [("pki_apiserver_extra_sans", ["DNS:k8s.example.com", "k8s.example.org"])],
                                      ["pki_apiserver_extra_sans has k8s.example.org"]),
    "etcd: extra env the role sets": (dict(), [("etcd_extra_env", {"ETCD_NAME": "x", "QUOTA": "1"})],
                                      ["etcd_extra_env sets QUOTA, ETCD_NAME"]),
    "etcd: no backup kept": (dict(), [("etcd_backup_keep", 0)], ["etcd_backup_keep is 0: keep at least 1 snapshot."]),
    "etcd: validate entry point type check": (dict(), [("etcd_health_timeout", "soon")],
                                              ["arg spec 'validate'", "etcd_health_timeout"]),
    "control_plane: NodeRestriction dropped": (dict(), [("control_plane_admission_plugins", ["AlwaysPullImages"])],
                                               ["control_plane_admission_plugins AlwaysPullImages lacks NodeRestriction",
                                                "control_plane_allow_insecure"]),
    "TLS: unknown cipher suite": (dict(), [("k8s_tls_cipher_suites", ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                                                                      "TLS_AES_128_GCM_SHA256"])],
                                  ["k8s_tls_cipher_suites has TLS_AES_128_GCM_SHA256: name suites that Kubernetes 1.20"]),
    "pki: no cipher suite for the keys": (dict(), [("k8s_tls_cipher_suites", ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"])],
                                          ["has no TLS_ECDHE_ECDSA_* suite, which TLS 1.2 needs for the ECC keys"]),
    "control_plane: Secrets unencrypted": (dict(), [("control_plane_secrets_encryption", "identity")],
                                           ["control_plane_secrets_encryption identity stores Secrets unencrypted",
                                            "control_plane_allow_insecure"]),
    "control_plane: pod security off": (dict(), [("control_plane_pod_security", False)],
                                        ["control_plane_pod_security false admits every pod", "control_plane_allow_insecure"]),
    "control_plane: unknown pod security policy": (dict(), [("control_plane_pod_security_namespaces",
                                                             {"kube-system": "privileged", "monitoring": "root"})],
                                                   ["control_plane_pod_security_namespaces: 'monitoring: root'",
                                                    "baseline or privileged"]),
    "control_plane: relative audit log path": (dict(), [("control_plane_audit_log_path", "audit.log")],
                                               ["control_plane_audit_log_path 'audit.log' is no absolute file path"]),
    "control_plane: anonymous auth": (dict(), [INSECURE_API],
                                      ["control_plane_apiserver_extra_args --anonymous-auth=true"]),
    "control_plane: AlwaysAllow": (dict(), [("control_plane_apiserver_extra_args", ["--authorization-mode=Node,AlwaysAllow"])],
                                   ["control_plane_apiserver_extra_args --authorization-mode=Node,AlwaysAllow"]),
    # acknowledged, the insecure flag passes; the next mistake (a missing archive) stops the run
    "control_plane: acknowledged insecure setting": (dict(), [INSECURE_API, ("control_plane_allow_insecure", True),
                                                              ("node_preload_images", [{"name": "x:1",
                                                                                        "archive": "/nonexistent/x.tar"}])],
                                                     ["/nonexistent/x.tar"]),
    "ovs_gre: pod MTU over the underlay": (dict(), [("k8s_pod_mtu", 1490)],
                                           ["k8s_pod_mtu 1490 is larger than the underlay MTU 1500 of eth0 less 38 bytes of "
                                            "GRE (1462)"]),
    "ovs_gre: pod MTU over the underlay with a GRE key": (dict(), [("ovs_gre_key", "42")],
                                                          ["k8s_pod_mtu 1462 is larger than the underlay MTU 1500 of eth0 "
                                                           "less 42 bytes of GRE (1458)"]),
    "ovs_gre: no time for ovs-vsctl": (dict(), [("ovs_gre_ovs_timeout", 0)],
                                       ["ovs_gre_ovs_timeout 0: at least 1 second"]),
    "container_runtime: docker on TCP": (dict(), [("k8s_container_runtime", "docker"),
                                                  ("container_runtime_docker_daemon_extra", {"hosts": ["unix:///run/d.sock",
                                                                                                       "tcp://0.0.0.0:2375"]})],
                                         ["container_runtime_docker_daemon_extra hosts tcp://0.0.0.0:2375",
                                          "container_runtime_allow_insecure"]),
    "node: max pods over the node subnet": (dict(), [("k8s_node_pod_prefix", 26)],
                                            ["k8s_node_pod_prefix 26 gives each node 61 pod addresses, fewer than the "
                                             "kubelet's maxPods 110"]),
    "node: anonymous kubelet": (dict(), [("node_kubelet_config_extra", {"authentication": {"anonymous": {"enabled": True}}})],
                                ["node_kubelet_config_extra authentication.anonymous.enabled: True", "node_allow_insecure"]),
    "node: missing image archive": (dict(), [("node_preload_images", [{"name": "x:1", "archive": "/nonexistent/x.tar"}])],
                                    ["/nonexistent/x.tar"]),
    "cluster_dns: upstream resolver not an address": (dict(), [("cluster_dns_upstream_resolvers", ["dns.example.org"])],
                                                      ["cluster_dns_upstream_resolvers has dns.example.org"]),
    # the cluster's registry
    "registry account without a password": (dict(), [("k8s_registry_auth", {"username": "puller"})],
                                            ["k8s_registry_auth for user 'puller' needs"]),
    "container_runtime: docker mirroring docker.io through a registry with an account": (
        dict(), [("k8s_container_runtime", "docker"), ("k8s_registry_auth", {"username": "u", "password": "p"}),
                 ("k8s_registry_address", "reg.example:5000"),
                 ("container_runtime_registry_mirrors", {"docker.io": ["reg.example:5000"]})],
        ["which asks for an account (k8s_registry_auth): docker sends Docker Hub's credentials to a mirror"]),
    "container_runtime: docker mirroring another registry": (
        dict(), [("k8s_container_runtime", "docker"),
                 ("container_runtime_registry_mirrors", {"docker.io": ["reg.example:5000"], "quay.io": ["reg.example:5000"]})],
        ["container_runtime_registry_mirrors has mirrors for quay.io", "docker mirrors docker.io only"]),
}
ABSENT = {"control_plane: acknowledged insecure setting": ["control_plane_apiserver_extra_args --anonymous-auth"]}


@pytest.fixture(scope="module")
def refusals():
    """Every case's run of site.yml; four at a time (each stops in preflight, or should)."""
    other_arch = other_arch_bin()
    wrapper = subprocess.run(["docker", "exec", "-i", "pf-node1", "sh", "-c",
                              f"cat > {CGROUP2_PYTHON} && chmod 0755 {CGROUP2_PYTHON}"],
                             input=CGROUP2_WRAPPER, text=True, capture_output=True, check=False)
    assert wrapper.returncode == 0, wrapper.stderr

    def run(case):
        inventory_args, extra = CASES[case][:2]
        extra = [(key, other_arch if value == "OTHER_ARCH_BIN" else value) for key, value in extra]
        path = inventory(pathlib.Path(tempfile.mkdtemp(prefix="preflight-")), **inventory_args)
        try:
            return case, run_playbook("site.yml", path, *extra, timeout=600)
        except subprocess.TimeoutExpired as timeout:  # this case fails, the others still report
            output = timeout.stdout.decode() if isinstance(timeout.stdout, bytes) else timeout.stdout or ""
            return case, subprocess.CompletedProcess(timeout.cmd, None, output, "timed out after 600 s")
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            return dict(pool.map(run, sorted(CASES)))
    finally:
        shutil.rmtree(other_arch, ignore_errors=True)
        subprocess.run(["docker", "exec", "pf-node1", "rm", "-f", CGROUP2_PYTHON], check=False)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_setting_is_refused_before_any_change(case, refusals):
    assert_refused(refusals[case], *CASES[case][2], absent=ABSENT.get(case, ()))


def test_controller_without_netaddr_is_refused(tmp_path, monkeypatch):
    # a package of that name that cannot be imported hides the installed one from the controller
    (tmp_path / "hide" / "netaddr").mkdir(parents=True)
    (tmp_path / "hide" / "netaddr" / "__init__.py").write_text("raise ImportError('hidden by the test')\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "hide"))
    result = run_playbook("site.yml", inventory(tmp_path))
    assert_refused(result, "lacks netaddr", "pip install netaddr")


def test_controller_without_a_collection_is_refused(tmp_path, monkeypatch):
    # the controller's collections without ansible.utils, nothing else searched
    installed = os.path.join(REPO, ".venv", "lib", "python3.11", "site-packages", "ansible_collections")
    search = tmp_path / "collections" / "ansible_collections"
    for name in ["ansible.posix", "community.crypto", "community.general", "community.docker", "openvswitch.openvswitch"]:
        namespace, collection = name.split(".")
        (search / namespace).mkdir(parents=True, exist_ok=True)
        (search / namespace / collection).symlink_to(os.path.join(installed, namespace, collection))
    (search / "k8s_classic").mkdir()
    (search / "k8s_classic" / "cluster").symlink_to(REPO)
    monkeypatch.setenv("ANSIBLE_COLLECTIONS_PATH", str(tmp_path / "collections"))
    monkeypatch.setenv("ANSIBLE_COLLECTIONS_SCAN_SYS_PATH", "false")
    result = run_playbook("site.yml", inventory(tmp_path))
    assert_refused(result, "The controller lacks the collection(s) ansible.utils", "ansible-galaxy collection install")


def test_clock_skew_is_refused(tmp_path, monkeypatch):
    # the controller's clock (as ansible-playbook reads it) two hours ahead of the hosts'
    (tmp_path / "clock").mkdir()
    (tmp_path / "clock" / "sitecustomize.py").write_text(
        "import datetime\n"
        "class _Ahead(datetime.datetime):\n"
        "    @classmethod\n"
        "    def now(cls, tz=None):\n"
        "        return _real.now(tz) + datetime.timedelta(hours=2)\n"
        "_real, datetime.datetime = datetime.datetime, _Ahead\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "clock"))
    result = run_playbook("site.yml", inventory(tmp_path))
    assert_refused(result, "pf-node1's clock", "behind the controller's", "more than k8s_max_clock_skew (60 s)")


def test_even_etcd_count_is_warned(tmp_path):
    groups = {"etcd": ["pf-master1", "pf-node1"], "masters": ["pf-master1"], "nodes": ["pf-node1", "pf-node2"]}
    # a second mistake stops the run after the warning, so nothing is deployed
    result = run_playbook("site.yml", inventory(tmp_path, groups=groups), ("k8s_nodeport_range", "1-2"))
    assert "2 etcd members: an even count" in result.stdout
    assert_refused(result, "k8s_nodeport_range '1-2'")


def test_hosts_with_one_machine_id_are_refused(tmp_path):
    """Two hosts cloned from one image with its machine ID (found on VMs: systemd-udevd gave
    both nodes' pod bridges the same MAC, and the overlay could not reach the other's pods)."""
    def machine_id(name, value=None):
        command = ["cat", "/etc/machine-id"] if value is None else ["sh", "-c", "echo %s >/etc/machine-id" % value]
        done = subprocess.run(["docker", "exec", name] + command, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    own = machine_id("pf-node2")
    assert own and own != machine_id("pf-node1"), "the node containers should have IDs of their own"
    machine_id("pf-node2", machine_id("pf-node1"))
    try:
        result = run_playbook("site.yml", inventory(tmp_path))
    finally:
        machine_id("pf-node2", own)
    assert_refused(result, "pf-node1, pf-node2 have the same machine ID", "systemd-machine-id-setup")


def test_role_reused_where_the_inventory_has_only_nodes(tmp_path):
    """A role reused alone (README, "Reusing single roles"), e.g. ovs_gre on the hosts of a
    nodes group, in an inventory with no etcd or masters group: preflight passes, with no
    warning about the etcd member count (it used to fail on the missing etcd group)."""
    playbook = tmp_path / "nodes-only.yml"
    playbook.write_text("- hosts: nodes\n  gather_facts: true\n  roles: [{role: preflight}]\n")
    result = run_playbook(str(playbook), inventory(tmp_path, groups={"nodes": ["pf-node1", "pf-node2"]}))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "etcd members" not in output
    assert set(recap(result)) == {"pf-node1", "pf-node2"}


def test_dry_run_on_bare_hosts_reports_changes_and_changes_nothing(tmp_path):
    result = run_playbook("site.yml", inventory(tmp_path), check=True)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    counts = recap(result)
    assert set(counts) == set(HOSTS)
    assert all(c["changed"] > 0 and c["failed"] == 0 for c in counts.values()), counts
    # a role included in a loop whose tasks loop too must name its loop variable (preflight.yml
    # warned three times per run of site.yml that item was already in use)
    assert "is already in use" not in output, [line for line in output.splitlines() if "WARNING" in line]


@pytest.mark.parametrize("name", sorted(HOSTS))
def test_hosts_are_still_bare(name):
    assert host_is_bare(name)
