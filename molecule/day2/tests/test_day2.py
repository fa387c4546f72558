"""Day 2 on a running cluster, in order: scale 2 -> 3 nodes (the third also joins etcd as its
second member), remove that node and member, reset a host,
roll a settings change through with upgrade.yml, back etcd up and restore it. After each step: every node Ready and pods
on different nodes reach each other. The playbooks run as an operator would run them,
against inventories of their own that share the PKI of the converge step."""
import base64
import json
import os
import re
import subprocess
import tempfile
import time

import testinfra
import yaml

from helpers import TEST_ACCOUNT_MANIFEST, etcdctl, ready_nodes, recap, run_playbook, running_pods, spread_deployment

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
MOLECULE_INVENTORY = os.environ["MOLECULE_INVENTORY_FILE"]
MASTER = "d2-master1"
GROUP_VARS = os.path.join(REPO, "molecule", "day2", "group_vars")
INVENTORIES = tempfile.mkdtemp(prefix="day2-inventories-")
# the cluster's PKI, made by the converge step next to Molecule's inventory ("lab" cluster)
PKI = os.path.join(os.path.dirname(MOLECULE_INVENTORY), ".pki", "lab")
# the scenario's non-default shared paths (group_vars/all/day2.yml) and the defaults
with open(os.path.join(GROUP_VARS, "all", "day2.yml")) as _handle:
    SETTINGS = yaml.safe_load(_handle)
CONFIG_DIR, PKI_DIR, BIN_DIR = SETTINGS["k8s_config_dir"], SETTINGS["k8s_pki_dir"], SETTINGS["k8s_bin_dir"]
DEFAULT_PATHS = ["/etc/kubernetes"] + ["/usr/local/bin/" + b for b in (
    "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet", "kube-proxy", "kubectl")]
# upgrade.yml switches the Secrets' encryption provider (secretbox by default) on the running
# cluster; later runs of the control plane role keep it
AESCBC = ("-e", "control_plane_secrets_encryption=aescbc")
WATCHED = ["kubelet", "kube-proxy", "containerd", "docker", "openvswitch-switch", "ovs-gre-network"]


def inventory(name, nodes, etcd=(MASTER,)):
    """Molecule's inventory with the nodes group set to `nodes`, the etcd group to `etcd` and
    other hosts left out, as an operator edits it, in a directory of its own with the
    scenario's group_vars."""
    with open(MOLECULE_INVENTORY) as handle:
        data = yaml.safe_load(handle)
    for gone in [h for h in data["all"]["hosts"] if h not in nodes and h != MASTER]:
        del data["all"]["hosts"][gone]
    data["nodes"] = {"hosts": {n: None for n in nodes}}
    data["etcd"] = {"hosts": {n: None for n in etcd}}
    data.pop("spare", None)
    directory = os.path.join(INVENTORIES, name)
    os.makedirs(directory, exist_ok=True)
    if not os.path.exists(os.path.join(directory, "group_vars")):
        os.symlink(GROUP_VARS, os.path.join(directory, "group_vars"))
    path = os.path.join(directory, "hosts.yml")
    with open(path, "w") as handle:
        yaml.safe_dump(data, handle)
    return path


def playbook(inventory_path, name, *args):
    """ansible-playbook -i INVENTORY playbooks/NAME ARGS..., as an operator runs it."""
    return run_playbook(os.path.join("playbooks", name), inventory_path, "pki_local_dir=" + PKI, args=args)


def host(name):
    return testinfra.get_host("ansible://" + name, ansible_inventory=MOLECULE_INVENTORY)


def kubectl(*args, stdin=None):
    cmd = ["docker", "exec", "-i", MASTER, BIN_DIR + "/kubectl"] + list(args)
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=300, check=False)


def service_starts(name):
    """{service: InvocationID} of the watched services on a host (a restart changes it)."""
    out = {}
    for service in WATCHED:
        probe = host(name).run("systemctl show -p InvocationID --value %s", service)
        out[service] = probe.stdout.strip()
    return out


def wait_ready(expected, timeout=240):
    deadline = time.time() + timeout
    while True:
        names, ready = ready_nodes(kubectl("get", "nodes", "-o", "json").stdout)
        if ready == names == set(expected) or time.time() > deadline:
            return names, ready
        time.sleep(3)


def assert_pod_traffic(nodes):
    """One pod per node (a DaemonSet-like Deployment pinned by spread); every pair pings."""
    manifest = spread_deployment("pinger", len(nodes), ["sleep", "100000"], grace_seconds=1)
    # the old pods must be gone: terminating pods still count for the spread constraint
    kubectl("delete", "deployment", "pinger", "--ignore-not-found", "--wait=true")
    kubectl("wait", "--for=delete", "pod", "-l", "app=pinger", "--timeout=120s")
    assert kubectl("apply", "-f", "-", stdin=TEST_ACCOUNT_MANIFEST).returncode == 0
    assert kubectl("apply", "-f", "-", stdin=json.dumps(manifest)).returncode == 0
    rollout = kubectl("rollout", "status", "deployment/pinger", "--timeout=180s")
    assert rollout.returncode == 0, rollout.stderr + kubectl("get", "pods", "-o", "wide").stdout
    pods = running_pods(kubectl("get", "pods", "-l", "app=pinger", "-o", "json").stdout)
    assert {p["spec"]["nodeName"] for p in pods} == set(nodes), kubectl("get", "pods", "-o", "wide").stdout
    for source in pods:
        for target in pods:
            if source is target:
                continue
            # a pod that has just started may miss the first packets: up to 3 tries of 2 pings
            for _attempt in range(3):
                ping = kubectl("exec", source["metadata"]["name"], "--", "ping", "-c", "2", "-W", "2",
                               target["status"]["podIP"])
                if ping.returncode == 0:
                    break
                time.sleep(2)
            assert ping.returncode == 0, (source["spec"]["nodeName"], target["spec"]["nodeName"], ping.stdout)


def drain_order(output):
    """[(Drain|Uncordon, node), ...] in the order the playbook ran them."""
    order, task = [], None
    for line in output.splitlines():
        match = re.match(r"^TASK \[(Drain|Uncordon) the node\]", line)
        if line.startswith("TASK ["):
            task = match.group(1) if match else None
            continue
        done = re.match(r"^(?:changed|ok): \[(d2-node\d)", line)
        if task and done:
            order.append((task, done.group(1)))
    return order


def etcd_members():
    """{name: peer URL} of the etcd cluster's members, asked of the master's member."""
    out = json.loads(host(MASTER).check_output(etcdctl(PKI_DIR) + "member list -w json"))
    return {m.get("name", ""): m["peerURLs"][0] for m in out["members"]}


def etcd_servers():
    """The --etcd-servers of the master's API server, as its settings file says."""
    config = host(MASTER).file(CONFIG_DIR + "/apiserver").content_string
    return re.search(r"--etcd-servers=(\S+)", config).group(1).split(",")


def tunnels(name):
    ports = host(name).check_output("ovs-vsctl list-ports obr0").split()
    return sorted(p for p in ports if p.startswith("gre-"))


def test_start_two_nodes():
    names, ready = wait_ready(["d2-node1", "d2-node2"])
    assert ready == {"d2-node1", "d2-node2"}, names
    assert_pod_traffic(["d2-node1", "d2-node2"])


def test_shared_paths_follow_the_settings():
    """The cluster runs from the non-default k8s_config_dir, k8s_pki_dir and k8s_bin_dir alone."""
    for name in (MASTER, "d2-node1", "d2-node2"):
        node = host(name)
        assert node.file(CONFIG_DIR + "/config").exists, name
        assert node.file(PKI_DIR + "/ca.crt").exists, name
        assert not node.file(CONFIG_DIR + "/pki").exists, name
        present = [p for p in DEFAULT_PATHS if node.file(p).exists]
        assert not present, (name, present)
    assert host(MASTER).file(BIN_DIR + "/kube-apiserver").exists
    assert host("d2-node1").file(BIN_DIR + "/kubelet").exists
    assert "--config={}/kubelet-config.yaml".format(CONFIG_DIR) in host("d2-node1").file(
        CONFIG_DIR + "/kubelet").content_string


def test_without_cluster_dns_no_coredns_and_no_dead_dns_address():
    """k8s_cluster_dns is false here (group_vars/all/day2.yml): no CoreDNS, and the kubelets do
    not point the pods at the DNS Service address, where nothing would answer."""
    deployments = kubectl("--namespace", "kube-system", "get", "deployments", "-o", "name")
    assert deployments.returncode == 0, deployments.stderr
    assert "coredns" not in deployments.stdout
    for name in ("d2-node1", "d2-node2"):
        config = host(name).file(CONFIG_DIR + "/kubelet-config.yaml").content_string
        assert "10.254.0.10" not in config, (name, config)


def test_scale_to_three_nodes_restarts_nothing_on_the_others():
    """d2-node3 joins as a node and as a second etcd member (etcdctl member add, then it starts
    from the running member's data); the master's API server learns of the member; nothing
    restarts on the other nodes, nor the master's etcd. The control plane re-run on the master
    also takes away the pod security binding of a namespace the inventory does not name."""
    before = {n: service_starts(n) for n in ("d2-node1", "d2-node2")}
    etcd_before = host(MASTER).check_output("systemctl show -p InvocationID --value etcd")
    assert kubectl("create", "configmap", "day2-before-scale", "--from-literal=state=kept").returncode == 0
    # a binding as control_plane_pod_security_namespaces once made it, for a namespace no longer named
    assert kubectl("create", "namespace", "day2-dropped").returncode == 0
    assert kubectl("create", "rolebinding", "k8s-classic:psp:privileged", "--namespace=day2-dropped",
                   "--clusterrole=k8s-classic:psp:privileged", "--group=system:serviceaccounts:day2-dropped").returncode == 0
    assert kubectl("label", "rolebinding", "k8s-classic:psp:privileged", "--namespace=day2-dropped",
                   "k8s-classic/pod-security=true").returncode == 0
    result = playbook(inventory("day2-scaled", ["d2-node1", "d2-node2", "d2-node3"], etcd=[MASTER, "d2-node3"]),
                      "scale.yml")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    counts = recap(result)
    print("scale.yml: {:.0f} s; tasks on the untouched nodes: {}".format(
        result.seconds, {n: counts[n] for n in ("d2-node1", "d2-node2")}))
    names, ready = wait_ready(["d2-node1", "d2-node2", "d2-node3"])
    assert ready == {"d2-node1", "d2-node2", "d2-node3"}, names
    for name, services in before.items():
        assert service_starts(name) == services, name
    # the master is in the pod network's mesh too: every one of the four has a tunnel to the others
    for name in (MASTER, "d2-node1", "d2-node2", "d2-node3"):
        assert len(tunnels(name)) == 3, name
    assert etcd_members() == {MASTER: "https://172.30.51.11:2380", "d2-node3": "https://172.30.51.23:2380"}
    assert host(MASTER).check_output("systemctl show -p InvocationID --value etcd") == etcd_before
    assert etcd_servers() == ["https://172.30.51.11:2379", "https://172.30.51.23:2379"]
    # the new member holds what the cluster held before it joined, and answers healthy
    joined = host("d2-node3")
    assert "is healthy" in joined.check_output(etcdctl(PKI_DIR) + "endpoint health 2>&1")
    assert "day2-before-scale" in joined.check_output(
        etcdctl(PKI_DIR) + "get --prefix --keys-only /registry/configmaps/default/")
    assert joined.file("/etc/etcd/bootstrap.conf").contains('ETCD_INITIAL_CLUSTER_STATE="existing"')
    bindings = kubectl("get", "rolebindings", "--all-namespaces", "--selector=k8s-classic/pod-security=true",
                       "-o", "jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {end}").stdout.split()
    assert bindings == ["kube-system/k8s-classic:psp:privileged"], bindings
    assert_pod_traffic(["d2-node1", "d2-node2", "d2-node3"])


def test_remove_node_refuses_the_last_master():
    result = playbook(inventory("day2-scaled", ["d2-node1", "d2-node2", "d2-node3"], etcd=[MASTER, "d2-node3"]),
                      "remove-node.yml", "-e", "remove_node=" + MASTER)
    assert result.returncode != 0
    assert "is the last master" in result.stdout
    assert all(c["changed"] == 0 for c in recap(result).values())


def test_remove_node_refuses_to_break_the_etcd_quorum():
    """An inventory that says d2-node1 is a third member, though it runs no etcd: without
    d2-node3, one of the two members that stay answers healthy, fewer than their quorum."""
    path = inventory("day2-three-etcd", ["d2-node1", "d2-node2", "d2-node3"], etcd=[MASTER, "d2-node3", "d2-node1"])
    result = playbook(path, "remove-node.yml", "-e", "remove_node=d2-node3")
    assert result.returncode != 0
    assert "leaves 2 members (d2-master1, d2-node1), of which 1 answer healthy, fewer than their quorum of 2" \
        in result.stdout, result.stdout[-3000:]
    assert all(c["changed"] == 0 for c in recap(result).values())
    assert set(etcd_members()) == {MASTER, "d2-node3"}


def test_remove_node_drains_deletes_and_cleans_it():
    """d2-node3, a node and an etcd member: drained, deleted, out of etcd (the member that
    stays keeps the data), out of the API server's etcd servers, tunnels dropped, host bare."""
    result = playbook(inventory("day2-scaled", ["d2-node1", "d2-node2", "d2-node3"], etcd=[MASTER, "d2-node3"]),
                      "remove-node.yml", "-e", "remove_node=d2-node3")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    print("remove-node.yml: {:.0f} s".format(result.seconds))
    names, ready = wait_ready(["d2-node1", "d2-node2"])
    assert ready == {"d2-node1", "d2-node2"}, names
    for name in (MASTER, "d2-node1", "d2-node2"):
        assert len(tunnels(name)) == 2, name
    assert etcd_members() == {MASTER: "https://172.30.51.11:2380"}
    assert etcd_servers() == ["https://172.30.51.11:2379"]
    kept = kubectl("get", "configmap", "day2-before-scale", "-o", "jsonpath={.data.state}")
    assert kept.returncode == 0 and kept.stdout == "kept", kept.stdout + kept.stderr
    removed = host("d2-node3")
    assert not removed.file(CONFIG_DIR).exists
    assert not removed.file(PKI_DIR).exists
    assert not removed.file("/var/lib/etcd/member-data").exists
    assert not removed.file("/etc/etcd/bootstrap.conf").exists
    assert not removed.service("kubelet").is_running
    assert not removed.service("etcd").is_running
    assert removed.run("ip link show kbr0").rc != 0
    assert_pod_traffic(["d2-node1", "d2-node2"])


def test_reset_needs_confirmation_then_returns_the_host_to_bare():
    """d2-node3 was removed above; reset it explicitly (a second clean changes nothing of the cluster)."""
    path = inventory("day2-reset", ["d2-node1", "d2-node2", "d2-node3"])
    refused = playbook(path, "reset.yml", "--limit", "d2-node3")
    assert refused.returncode != 0 and "reset_confirm=yes" in refused.stdout
    assert all(c["changed"] == 0 for c in recap(refused).values())
    result = playbook(path, "reset.yml", "--limit", "d2-node3", "-e", "reset_confirm=yes")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    node = host("d2-node3")
    for service in ("kubelet", "kube-proxy", "containerd", "ovs-gre-network"):
        assert not node.service(service).is_running, service
    gone = [CONFIG_DIR, PKI_DIR, "/etc/cni/net.d/10-kbr0.conflist"] + [
        BIN_DIR + "/" + b for b in ("kubelet", "kube-proxy", "kubectl")]
    for path_ in gone + DEFAULT_PATHS:
        assert not node.file(path_).exists, path_
    # /var/lib/kubelet is a mount point in the lab's containers: emptied, not removed
    assert node.run("ls -A /var/lib/kubelet 2>/dev/null").stdout.strip() == ""
    assert node.run("ovs-vsctl br-exists obr0").rc != 0
    assert node.run("ip -4 -o addr show dev eth0").stdout.count("172.30.51.23/") == 1
    names, ready = wait_ready(["d2-node1", "d2-node2"])
    assert ready == {"d2-node1", "d2-node2"}, names
    assert_pod_traffic(["d2-node1", "d2-node2"])


def test_upgrade_rolls_a_settings_change_one_node_at_a_time():
    """A kubelet setting through the nodes, one at a time; and the Secrets' encryption provider
    changed on the running apiserver, which writes every Secret again."""
    path = inventory("day2-removed", ["d2-node1", "d2-node2"])
    before = {n: service_starts(n)["kubelet"] for n in ("d2-node1", "d2-node2")}
    level = 4 if "--v=3" in host("d2-node1").file(CONFIG_DIR + "/config").content_string else 3
    result = playbook(path, "upgrade.yml", "-e", "node_kubelet_log_level={}".format(level), *AESCBC)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    print("upgrade.yml: {:.0f} s".format(result.seconds))
    order = drain_order(result.stdout)
    assert order == [("Drain", "d2-node1"), ("Uncordon", "d2-node1"), ("Drain", "d2-node2"), ("Uncordon", "d2-node2")], order
    for name in ("d2-node1", "d2-node2"):
        assert "--v={}".format(level) in host(name).file(CONFIG_DIR + "/config").content_string
        assert service_starts(name)["kubelet"] != before[name], name
    nodes = json.loads(kubectl("get", "nodes", "-o", "json").stdout)["items"]
    assert not any(n["spec"].get("unschedulable") for n in nodes)
    names, ready = wait_ready(["d2-node1", "d2-node2"])
    assert ready == {"d2-node1", "d2-node2"}, names
    assert_pod_traffic(["d2-node1", "d2-node2"])
    # the provider changed on a running apiserver: every Secret was written again with it
    stored = secrets_in_etcd()
    assert stored and all(v.startswith(b"k8s:enc:aescbc:v1:key1:") for v in stored.values()), \
        {k: v[:24] for k, v in stored.items()}


def secrets_in_etcd():
    """{key: raw value} of every Secret as etcd stores it."""
    out = json.loads(host(MASTER).check_output(etcdctl(PKI_DIR) + "get /registry/secrets/ --prefix -w json"))
    return {base64.b64decode(kv["key"]).decode(): base64.b64decode(kv["value"]) for kv in out.get("kvs", [])}


def test_etcd_backup_then_restore_brings_the_objects_back():
    """upgrade.yml above took a snapshot first; etcd-backup.yml takes another (keeping 1, so the
    upgrade's goes); objects changed after it are undone by etcd-restore.yml, which refuses
    without confirmation. The cluster then serves, schedules and routes as before."""
    path = inventory("day2-removed", ["d2-node1", "d2-node2"])
    backups = os.path.join(os.path.dirname(path), ".etcd-backups", "lab")
    from_upgrade = sorted(os.listdir(backups))
    assert len(from_upgrade) == 1 and from_upgrade[0].endswith(".db"), from_upgrade
    assert kubectl("create", "configmap", "day2-kept", "--from-literal=state=before-snapshot").returncode == 0

    backup = playbook(path, "etcd-backup.yml", "-e", "etcd_backup_keep=1")
    assert backup.returncode == 0, backup.stdout[-4000:] + backup.stderr[-2000:]
    snapshots = sorted(os.listdir(backups))
    assert len(snapshots) == 1 and snapshots != from_upgrade, (from_upgrade, snapshots)
    snapshot = os.path.join(backups, snapshots[0])
    assert oct(os.stat(snapshot).st_mode & 0o777) == "0o600" and oct(os.stat(backups).st_mode & 0o777) == "0o700"
    assert host(MASTER).check_output("ls /var/backups/etcd").split() == snapshots

    assert kubectl("delete", "configmap", "day2-kept").returncode == 0
    assert kubectl("create", "configmap", "day2-lost", "--from-literal=state=after-snapshot").returncode == 0
    refused = playbook(path, "etcd-restore.yml", "-e", "etcd_restore_snapshot=" + snapshot)
    assert refused.returncode != 0 and "etcd_restore_confirm=yes" in refused.stdout, refused.stdout[-2000:]
    assert all(c["changed"] == 0 for c in recap(refused).values())

    restore = playbook(path, "etcd-restore.yml", "-e", "etcd_restore_snapshot=" + snapshot, "-e", "etcd_restore_confirm=yes",
                       *AESCBC)
    assert restore.returncode == 0, restore.stdout[-4000:] + restore.stderr[-2000:]
    print("etcd-backup.yml: {:.0f} s; etcd-restore.yml: {:.0f} s".format(backup.seconds, restore.seconds))
    kept = kubectl("get", "configmap", "day2-kept", "-o", "jsonpath={.data.state}")
    assert kept.returncode == 0 and kept.stdout == "before-snapshot", kept.stdout + kept.stderr
    lost = kubectl("get", "configmap", "day2-lost")
    assert lost.returncode != 0 and "NotFound" in lost.stderr, lost.stdout + lost.stderr
    assert host(MASTER).run("ls -d /var/lib/etcd/member-data.before-restore-*").rc == 0
    names, ready = wait_ready(["d2-node1", "d2-node2"])
    assert ready == {"d2-node1", "d2-node2"}, names
    assert_pod_traffic(["d2-node1", "d2-node2"])
