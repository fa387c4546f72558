"""The etcd role reused alone (converge.yml: pki + etcd on the etcd group, no masters group,
an unrelated host in the inventory): three members, one cluster, healthy, with TLS; and
nothing of a Kubernetes control plane on the hosts."""
import json
import os

import pytest
import testinfra.utils.ansible_runner

INVENTORY = os.environ["MOLECULE_INVENTORY_FILE"]
RUNNER = testinfra.utils.ansible_runner.AnsibleRunner(INVENTORY)
MEMBERS = sorted(RUNNER.get_hosts("etcd"))
PKI = "/etc/kubernetes/pki/etcd"
ETCDCTL = ("ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert={0}/ca.crt "
           "--cert={0}/healthcheck-client.crt --key={0}/healthcheck-client.key ").format(PKI)


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
