"""The etcd role reused alone (converge.yml: pki + etcd on the etcd group, no masters group,
an unrelated host in the inventory): three members, one cluster, healthy, with TLS; and
nothing of a Kubernetes control plane on the hosts. Its backup and restore entry points
(etcd-snapshot.yml) rebuild all three members from one snapshot; a member removed and wiped
joins again when the role runs."""
import json
import os

import pytest
import testinfra.utils.ansible_runner

from helpers import etcdctl, recap, run_playbook

INVENTORY = os.environ["MOLECULE_INVENTORY_FILE"]
RUNNER = testinfra.utils.ansible_runner.AnsibleRunner(INVENTORY)
MEMBERS = sorted(RUNNER.get_hosts("etcd"))
SNAPSHOT_PLAYBOOK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "etcd-snapshot.yml")
ETCDCTL = etcdctl("/etc/kubernetes/pki")
# molecule/ovs_gre_vm runs these tests on VMs that are nodes only (no etcd group): not there
pytestmark = pytest.mark.skipif(not MEMBERS, reason="no etcd group in this scenario's inventory")


def host(name):
    return testinfra.get_host("ansible://" + name, ansible_inventory=INVENTORY)


def test_inventory_is_not_a_whole_cluster():
    """The point of this scenario: no masters, and a host outside the cluster's groups (the
    playbooks get Molecule's whole inventory directory, with inventory/hosts.yml linked in)."""
    whole = testinfra.utils.ansible_runner.AnsibleRunner(os.path.dirname(INVENTORY))
    assert whole.get_hosts("masters") == []
    assert "web1" in whole.get_hosts("all")
    assert "web1" not in whole.get_hosts("etcd") + whole.get_hosts("nodes")
    assert len(MEMBERS) == 3


@pytest.mark.parametrize("name", MEMBERS)
def test_member_sees_three_started_members(name):
    out = host(name).check_output(ETCDCTL + "member list -w json")
    members = json.loads(out)["members"]
    assert sorted(m["name"] for m in members) == MEMBERS
    assert all(m.get("clientURLs") and m["clientURLs"][0].startswith("https://") for m in members), members


def test_cluster_is_healthy():
    out = host(MEMBERS[0]).run(ETCDCTL + "endpoint health --cluster")
    assert out.rc == 0, out.stderr
    assert out.stdout.count("is healthy") + out.stderr.count("is healthy") == 3


def test_a_key_written_on_one_member_is_read_on_another():
    assert host(MEMBERS[0]).run(ETCDCTL + "put /reuse/probe written-on-" + MEMBERS[0]).rc == 0
    assert host(MEMBERS[-1]).check_output(ETCDCTL + "get --print-value-only /reuse/probe") == "written-on-" + MEMBERS[0]


@pytest.mark.parametrize("name", MEMBERS)
def test_no_control_plane_on_the_host(name):
    for service in ("kube-apiserver", "kubelet"):
        assert not host(name).service(service).is_running


def get(name, key):
    return host(name).check_output(ETCDCTL + "get --print-value-only " + key)


def test_backup_then_restore_rebuilds_all_three_members_from_one_snapshot(tmp_path):
    """A key written before the snapshot is back on every member after the restore, one written
    after it is gone; the three members form one healthy cluster again, each kept its old data."""
    first = host(MEMBERS[0])
    assert first.run(ETCDCTL + "put /backup/kept before-snapshot").rc == 0
    whole = os.path.dirname(INVENTORY)
    backups = []
    for _round in range(2):  # two snapshots with etcd_backup_keep=1: the newest alone stays
        backup = run_playbook(SNAPSHOT_PLAYBOOK, whole, "etcd_step=backup", ("etcd_backup_local_dir", str(tmp_path)),
                              ("etcd_backup_keep", 1))
        assert backup.returncode == 0, backup.stdout[-3000:] + backup.stderr[-2000:]
        backups.append(backup.seconds)
    snapshots = sorted(tmp_path.glob("*.db"))
    assert len(snapshots) == 1, snapshots
    assert oct(snapshots[0].stat().st_mode & 0o777) == "0o600" and oct(tmp_path.stat().st_mode & 0o777) == "0o700"
    on_member = first.check_output("ls /var/backups/etcd").split()
    assert on_member == [snapshots[0].name], on_member
    assert first.file("/var/backups/etcd/" + snapshots[0].name).mode == 0o600

    assert first.run(ETCDCTL + "put /backup/kept after-snapshot").rc == 0
    assert first.run(ETCDCTL + "put /backup/lost written-after-snapshot").rc == 0
    restore = run_playbook(SNAPSHOT_PLAYBOOK, whole, "etcd_step=restore", ("etcd_restore_snapshot", str(snapshots[0])))
    assert restore.returncode == 0, restore.stdout[-3000:] + restore.stderr[-2000:]
    print("backup: {:.0f} s, {:.0f} s; restore of 3 members: {:.0f} s".format(backups[0], backups[1], restore.seconds))

    for name in MEMBERS:
        assert get(name, "/backup/kept") == "before-snapshot", name
        assert get(name, "/backup/lost") == "", name
        members = json.loads(host(name).check_output(ETCDCTL + "member list -w json"))["members"]
        assert sorted(m["name"] for m in members) == MEMBERS
        aside = host(name).run("ls -d /var/lib/etcd/member-data.before-restore-*").stdout.split()
        assert len(aside) == 1, (name, aside)
    health = first.run(ETCDCTL + "endpoint health --cluster")
    assert health.rc == 0 and (health.stdout + health.stderr).count("is healthy") == 3, health.stdout + health.stderr
    assert first.run(ETCDCTL + "put /backup/after-restore written").rc == 0
    assert get(MEMBERS[-1], "/backup/after-restore") == "written"


def test_a_removed_member_with_its_data_gone_joins_again():
    """The last member is removed (entry point remove_member) and its data wiped, as when a
    host is replaced; the role run on all three adds it back with `etcdctl member add` and it
    starts from the others' data, restarting neither of them; a second run changes nothing."""
    whole = os.path.dirname(INVENTORY)
    gone, stay = MEMBERS[-1], MEMBERS[:-1]
    assert host(stay[0]).run(ETCDCTL + "put /replace/kept before-removal").rc == 0
    started = {name: host(name).check_output("systemctl show -p InvocationID --value etcd") for name in stay}
    removed = run_playbook(SNAPSHOT_PLAYBOOK, whole, "etcd_step=remove", "etcd_remove_member=" + gone)
    assert removed.returncode == 0, removed.stdout[-3000:] + removed.stderr[-2000:]
    members = json.loads(host(stay[0]).check_output(ETCDCTL + "member list -w json"))["members"]
    assert sorted(m["name"] for m in members) == stay
    replaced = host(gone)
    assert replaced.run("systemctl stop etcd && rm -rf /var/lib/etcd/member-data").rc == 0

    joined = run_playbook(SNAPSHOT_PLAYBOOK, whole, "etcd_step=converge")
    assert joined.returncode == 0, joined.stdout[-3000:] + joined.stderr[-2000:]
    print("a member joins again: {:.0f} s".format(joined.seconds))
    assert replaced.file("/etc/etcd/bootstrap.conf").contains('ETCD_INITIAL_CLUSTER_STATE="existing"')
    for name in MEMBERS:
        members = json.loads(host(name).check_output(ETCDCTL + "member list -w json"))["members"]
        assert sorted(m["name"] for m in members) == MEMBERS, name
    assert get(gone, "/replace/kept") == "before-removal"
    health = host(stay[0]).run(ETCDCTL + "endpoint health --cluster")
    assert health.rc == 0 and (health.stdout + health.stderr).count("is healthy") == 3, health.stdout + health.stderr
    for name, invocation in started.items():
        assert host(name).check_output("systemctl show -p InvocationID --value etcd") == invocation, name
    counts = recap(joined)
    assert counts[gone]["changed"] > 0 and all(counts[name]["changed"] == 0 for name in stay), counts

    again = run_playbook(SNAPSHOT_PLAYBOOK, whole, "etcd_step=converge")
    assert again.returncode == 0 and all(c["changed"] == 0 for c in recap(again).values()), again.stdout[-3000:]
