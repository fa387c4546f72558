"""The ovs_gre mesh on every node: bridges, one protected tunnel per peer, routes, pings."""
import json
import os

import pytest
import testinfra.utils.ansible_runner

INVENTORY = os.environ["MOLECULE_INVENTORY_FILE"]
NODES = sorted(testinfra.utils.ansible_runner.AnsibleRunner(INVENTORY).get_hosts("nodes"))
POD_CIDR = "10.244.0.0/16"


def host(name):
    return testinfra.get_host("ansible://" + name, ansible_inventory=INVENTORY)


def kbr0_address(name):
    out = host(name).check_output("ip -4 -o addr show dev kbr0")
    return out.split()[3].split("/")[0]


def tunnels_by_peer(node):
    """{peer name: port name} of the node's tunnels, from each port's external_ids:k8s-classic-peer."""
    out = node.check_output("ovs-vsctl --format=json --columns=name,external_ids list Port")
    tunnels = {}
    for name, external_ids in json.loads(out)["data"]:
        peer = dict(external_ids[1]).get("k8s-classic-peer")
        if peer:
            tunnels[peer] = name
    return tunnels


@pytest.mark.parametrize("name", NODES)
def test_one_protected_tunnel_to_every_other_node(name):
    node = host(name)
    ports = node.check_output("ovs-vsctl list-ports obr0").split()
    tunnels = sorted(p for p in ports if p.startswith("gre-"))
    peers = tunnels_by_peer(node)
    assert sorted(peers) == [peer for peer in NODES if peer != name]
    assert sorted(peers.values()) == tunnels
    for tunnel in tunnels:
        assert len(tunnel) == len("gre-") + 8
        assert node.check_output("ovs-vsctl get Port %s protected", tunnel) == "true"
        assert node.check_output("ovs-vsctl get Interface %s type", tunnel) == "gre"
        assert node.check_output("ovs-vsctl get Interface %s error", tunnel) == "[]"
        assert int(node.check_output("ovs-vsctl get Interface %s ofport", tunnel)) > 0


@pytest.mark.parametrize("name", NODES)
def test_bridges_and_route(name):
    node = host(name)
    assert node.interface("kbr0").exists
    assert "master kbr0" in node.check_output("ip -o link show dev obr0")
    assert node.check_output("ip route show %s", POD_CIDR).startswith(POD_CIDR + " dev kbr0")
    assert " mtu 1462 " in node.check_output("ip -o link show dev kbr0")
    unit = node.service("ovs-gre-network")
    assert unit.is_enabled and unit.is_running


@pytest.mark.parametrize("source", NODES)
def test_every_pair_of_pod_bridges_pings(source):
    for target in NODES:
        if target == source:
            continue
        ping = host(source).run("ping -c 3 -W 2 %s", kbr0_address(target))
        assert ping.rc == 0 and " 0% packet loss" in ping.stdout, (source, target, ping.stdout)
