"""With a host firewall running, the cluster's ports are open to the cluster's hosts only.

Runs where firewalld is active on the cluster's hosts (EL hosts by default; the lab's
`default` scenario installs and starts it on every node container with containerd), and is
skipped elsewhere — unless LAB_FIREWALLD=yes says it must be there, as the lab scenario does.
The test runner (this machine) is outside the cluster: it must reach the NodePorts and must
not reach etcd, the apiserver or a kubelet; the cluster's own hosts must reach them.
The pods' traffic across nodes through the firewall is tested by test_network.py.
"""
import os
import socket

import pytest

from conftest import ALL, ETCD, MASTERS, NODES, POD_NETWORK, REGISTRIES, address, host

EXPECTED = os.environ.get("LAB_FIREWALLD", "").lower() in ("1", "yes", "true")


def _firewalld_active(name):
    return host(name).run("systemctl is-active firewalld").stdout.strip() == "active"


@pytest.fixture(scope="module", autouse=True)
def firewalld():
    active = [name for name in ALL if _firewalld_active(name)]
    if EXPECTED:
        assert active == ALL, "LAB_FIREWALLD=yes, but firewalld runs only on {}".format(active)
    elif not active:
        pytest.skip("no firewalld on the cluster's hosts")


def _reachable_from_here(ip, port):
    try:
        with socket.create_connection((ip, port), timeout=3):
            return True
    except OSError:
        return False


def _reachable_from(name, ip, port):
    return host(name).run("timeout 5 bash -c '</dev/tcp/{}/{}'".format(ip, port)).rc == 0


CLOSED = [(name, 10250) for name in NODES] + [(name, 6443) for name in MASTERS] + [(name, 2379) for name in ETCD]


@pytest.mark.parametrize("name,port", CLOSED)
def test_cluster_port_refused_from_outside(name, port):
    # the service listens (test_services.py), so only the firewall can refuse it
    assert not _reachable_from_here(address(name), port), \
        "port {} of {} answers a host outside the cluster".format(port, name)


@pytest.mark.parametrize("name,port", CLOSED)
def test_cluster_port_open_to_cluster_hosts(name, port):
    other = next(h for h in ALL if h != name)
    assert _reachable_from(other, address(name), port), \
        "port {} of {} does not answer the cluster's host {}".format(port, name, other)


@pytest.mark.parametrize("name", POD_NETWORK)
def test_gre_and_pod_bridge_allowed(name):
    h = host(name)
    assert "gre" in h.check_output("firewall-cmd --zone=internal --list-protocols").split()
    sources = h.check_output("firewall-cmd --zone=internal --list-sources").split()
    assert sorted(sources) == sorted(set(address(other) for other in ALL + REGISTRIES)), sources
    assert "kbr0" in h.check_output("firewall-cmd --zone=trusted --list-interfaces").split()
