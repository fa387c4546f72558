"""Cluster DNS (roles/cluster_dns): CoreDNS on the DNS Service address answers every pod.

From a busybox pod on every node, with busybox's own resolver (nslookup, which sends its
queries to the nameserver of the pod's resolv.conf but applies no search domain): the API's
Service (kubernetes.default.svc.DOMAIN; the search domains are checked in resolv.conf), a ClusterIP Service, a headless
Service's pod records, and a name outside the cluster (K8S_TEST_OUTSIDE_NAME, default
deb.debian.org: a name the lab machine's resolver knows). Then one DNS pod's node is lost
(cordoned, its DNS pod deleted) and every node's pods keep resolving.
"""
import json
import os
import re

import pytest

from conftest import NODES, RUNNER, setting
from helpers import kube_timeout, running_pods, spread_deployment, wait

OUTSIDE_NAME = os.environ.get("K8S_TEST_OUTSIDE_NAME", "deb.debian.org")
DOMAIN = setting("k8s_cluster_domain", "cluster.local")
DNS_ON = setting("k8s_cluster_dns", True)
pytestmark = pytest.mark.skipif(not DNS_ON, reason="k8s_cluster_dns is false in this inventory")


def _addresses(output):
    """The addresses of the answer section of a busybox nslookup output (after 'Name:')."""
    answer = output.split("Name:", 1)[1] if "Name:" in output else ""
    return set(re.findall(r"Address(?: \d+)?:\s*([0-9.]+)", answer))


def _apply(kubectl, manifest):
    result = kubectl("apply -f -", stdin=json.dumps(manifest))
    assert result.rc == 0, result.stderr


@pytest.fixture(scope="module")
def dns_pods(kubectl):
    rollout = kubectl("--namespace kube-system rollout status deployment/coredns " + kube_timeout())
    assert rollout.rc == 0, rollout.stderr
    return running_pods(kubectl("--namespace kube-system get pods -l k8s-app=kube-dns -o json").stdout)


@pytest.fixture(scope="module")
def clients(kubectl, dns_pods):
    """One sleeping busybox pod per node: {node: pod name}."""
    _apply(kubectl, spread_deployment("dnsclient", len(NODES), ["sleep", "100000"], grace_seconds=1))
    assert kubectl("rollout status deployment/dnsclient " + kube_timeout()).rc == 0
    pods = running_pods(kubectl("get pods -l app=dnsclient -o json").stdout)
    by_node = {p["spec"]["nodeName"]: p["metadata"]["name"] for p in pods}
    assert set(by_node) == set(NODES), by_node
    return by_node


@pytest.fixture(scope="module")
def web(kubectl, dns_pods):
    """Two web pods behind a ClusterIP Service `dnsweb` and a headless Service `dnsweb-headless`:
    (cluster IP, set of pod IPs)."""
    _apply(kubectl, {"apiVersion": "v1", "kind": "List", "items": [
        spread_deployment("dnsweb", 2, ["httpd", "-f", "-p", "8080", "-h", "/"], port=8080, grace_seconds=1),
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "dnsweb", "namespace": "default"},
         "spec": {"selector": {"app": "dnsweb"}, "ports": [{"port": 80, "targetPort": 8080}]}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "dnsweb-headless", "namespace": "default"},
         "spec": {"clusterIP": "None", "selector": {"app": "dnsweb"}, "ports": [{"port": 8080}]}},
    ]})
    assert kubectl("rollout status deployment/dnsweb " + kube_timeout()).rc == 0
    pods = running_pods(kubectl("get pods -l app=dnsweb -o json").stdout)
    cluster_ip = kubectl("get service dnsweb -o jsonpath='{.spec.clusterIP}'").stdout.strip()
    return cluster_ip, {p["status"]["podIP"] for p in pods}


def _lookup(kubectl, pod, name):
    return kubectl("exec", pod, "--", "nslookup", name)


def _resolves(kubectl, pod, name, expected=None, timeout=60):
    """Wait until NAME resolves in POD (to exactly EXPECTED when given); return the last output."""
    last = {}

    def answered():
        result = _lookup(kubectl, pod, name)
        last["out"] = result.stdout + result.stderr
        found = _addresses(result.stdout)
        return result.rc == 0 and found and (expected is None or found == expected)

    ok = wait(answered, timeout=timeout, interval=3)
    return ok, last.get("out", "")


def test_dns_service_on_the_dns_address(kubectl, dns_pods):
    service = json.loads(kubectl("--namespace kube-system get service kube-dns -o json").stdout)
    cidr = setting("k8s_service_cidr", "10.254.0.0/16")
    base = [int(x) for x in cidr.split("/")[0].split(".")]
    tenth = ".".join(str(x) for x in base[:3] + [base[3] + 10])
    assert service["spec"]["clusterIP"] == tenth
    endpoints = json.loads(kubectl("--namespace kube-system get endpoints kube-dns -o json").stdout)
    ready = [a["ip"] for s in endpoints.get("subsets", []) for a in s.get("addresses", [])]
    assert sorted(set(ready)) == sorted({p["status"]["podIP"] for p in dns_pods})


def test_dns_pods_spread_over_nodes(dns_pods):
    replicas = RUNNER.get_variables(RUNNER.get_hosts("all")[0]).get("cluster_dns_replicas", 2)
    assert len(dns_pods) == replicas
    assert len({p["spec"]["nodeName"] for p in dns_pods}) == min(replicas, len(NODES)), \
        [(p["metadata"]["name"], p["spec"]["nodeName"]) for p in dns_pods]


@pytest.mark.parametrize("node", NODES)
def test_pod_resolves_the_api_service(kubectl, clients, node):
    """busybox's nslookup applies no search domains (measured: `nslookup kubernetes.default`
    is NXDOMAIN in a pod whose resolv.conf has them): the pod's resolv.conf must carry the
    search domains that make `kubernetes.default` kubernetes.default.svc.DOMAIN for libc
    resolvers, and that name must resolve."""
    resolv = kubectl("exec", clients[node], "--", "cat", "/etc/resolv.conf").stdout
    assert "search default.svc.{0} svc.{0} {0}".format(DOMAIN) in resolv, resolv
    api_ip = kubectl("get service kubernetes -o jsonpath='{.spec.clusterIP}'").stdout.strip()
    ok, out = _resolves(kubectl, clients[node], "kubernetes.default.svc." + DOMAIN, {api_ip})
    assert ok, out


@pytest.mark.parametrize("node", NODES)
def test_pod_resolves_a_service_name(kubectl, clients, web, node):
    cluster_ip = web[0]
    ok, out = _resolves(kubectl, clients[node], "dnsweb.default.svc." + DOMAIN, {cluster_ip})
    assert ok, out


@pytest.mark.parametrize("node", NODES)
def test_pod_resolves_headless_service_to_its_pods(kubectl, clients, web, node):
    pod_ips = web[1]
    ok, out = _resolves(kubectl, clients[node], "dnsweb-headless.default.svc." + DOMAIN, pod_ips)
    assert ok, out


@pytest.mark.parametrize("node", NODES)
def test_pod_resolves_an_outside_name(kubectl, clients, node):
    ok, out = _resolves(kubectl, clients[node], OUTSIDE_NAME)
    assert ok, out


def test_dns_keeps_answering_when_a_node_is_lost(kubectl, clients, dns_pods):
    """Lose the node of one DNS pod (cordon it, delete its DNS pod): every node's pods keep
    resolving while the pod is replaced; then the node comes back and the pods spread again."""
    lost = dns_pods[0]["spec"]["nodeName"]
    name = "kubernetes.default.svc." + DOMAIN
    try:
        assert kubectl("cordon", lost).rc == 0
        assert kubectl("--namespace kube-system delete pod --wait=false", dns_pods[0]["metadata"]["name"]).rc == 0
        for _round in range(3):
            for node, pod in sorted(clients.items()):
                result = _lookup(kubectl, pod, name)
                assert result.rc == 0 and _addresses(result.stdout), "{} on {}: {}{}".format(
                    pod, node, result.stdout, result.stderr)
        rollout = kubectl("--namespace kube-system rollout status deployment/coredns " + kube_timeout())
        assert rollout.rc == 0, rollout.stderr
        now = running_pods(kubectl("--namespace kube-system get pods -l k8s-app=kube-dns -o json").stdout)
        assert lost not in {p["spec"]["nodeName"] for p in now}
        for node, pod in sorted(clients.items()):
            ok, out = _resolves(kubectl, pod, name, timeout=30)
            assert ok, "{} on {}: {}".format(pod, node, out)
    finally:
        kubectl("uncordon", lost)
        # spread again: one of the pods now sharing a node moves back to the returned node
        pods = running_pods(kubectl("--namespace kube-system get pods -l k8s-app=kube-dns -o json").stdout)
        nodes = [p["spec"]["nodeName"] for p in pods]
        crowded = [p for p in pods if nodes.count(p["spec"]["nodeName"]) > 1]
        if crowded and lost in NODES:
            kubectl("--namespace kube-system delete pod", crowded[0]["metadata"]["name"])
            kubectl("--namespace kube-system rollout status deployment/coredns " + kube_timeout())


@pytest.fixture(scope="module", autouse=True)
def _cleanup(kubectl):
    yield
    kubectl("delete deployment dnsclient dnsweb --ignore-not-found")
    kubectl("delete service dnsweb dnsweb-headless --ignore-not-found")
