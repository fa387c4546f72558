"""Each service runs, enabled, exactly on the hosts of its group, and listens on its ports."""
import pytest

from conftest import ALL, ETCD, MASTERS, NODES, PKI_DIR, RUNTIME, SERVICES, host

EXPECTED = dict(SERVICES, **{RUNTIME: NODES})


@pytest.mark.parametrize("service", sorted(EXPECTED))
@pytest.mark.parametrize("name", ALL)
def test_service_only_where_it_belongs(name, service):
    svc = host(name).service(service)
    if name in EXPECTED[service]:
        assert svc.is_running, "{} should run on {}".format(service, name)
        assert svc.is_enabled, "{} should be enabled on {}".format(service, name)
    else:
        assert not svc.is_running, "{} should not run on {}".format(service, name)


PORTS = {"etcd": (ETCD, [2379, 2380]), "masters": (MASTERS, [6443]), "nodes": (NODES, [10250, 10256])}


@pytest.mark.parametrize("role", sorted(PORTS))
def test_ports_listen(role):
    hosts, ports = PORTS[role]
    for name in hosts:
        for port in ports:
            assert host(name).socket("tcp://0.0.0.0:{}".format(port)).is_listening or any(
                ":{} ".format(port) in line for line in host(name).check_output("ss -Htln").splitlines()
            ), "{} should listen on {}".format(name, port)


def test_private_keys_are_private():
    for name in ALL:
        h = host(name)
        for path in h.check_output("find %s -name '*.key'", PKI_DIR).split():
            assert h.file(path).mode == 0o600, path
