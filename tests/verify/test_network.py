"""The pod network (ovs_gre): pods reach each other across nodes, Services answer, the masters
(in the pod network too) reach pods, directly and through the API server's proxy.

Pods of a Deployment spread over every node; a ClusterIP Service in front of them; and a
NodePort Service (port 30002; the guestbook has 30001, as in the original notes) in front of one pod on the first
node only, so that the other nodes must forward to it.
"""
import json
import re

import pytest

from conftest import MASTERS, NODES, address, host
from helpers import http_get, kube_timeout, running_pods, wait, web_service

NODE_PORT = 30002


def _deploy(kubectl, manifest, name):
    assert kubectl("apply -f -", stdin=json.dumps(manifest)).rc == 0
    rollout = kubectl("rollout status deployment/{} {}".format(name, kube_timeout()))
    assert rollout.rc == 0, rollout.stderr + kubectl("get pods -o wide").stdout
    return running_pods(kubectl("get pods -l app={} -o json".format(name)).stdout)


@pytest.fixture(scope="module")
def web(kubectl):
    pods = _deploy(kubectl, web_service("web", 2 * len(NODES)), "web")
    assert {p["spec"]["nodeName"] for p in pods} == set(NODES)
    service = json.loads(kubectl("get service web -o json").stdout)
    return pods, service["spec"]["clusterIP"]


@pytest.fixture(scope="module")
def lonely(kubectl):
    pods = _deploy(kubectl, web_service("lonely", 1, node=NODES[0], service_type="NodePort", node_port=NODE_PORT), "lonely")
    return pods[0]


def test_pods_on_different_nodes_ping_each_other(kubectl, web):
    pods = web[0]
    pairs = [(a, b) for a in pods for b in pods if a["spec"]["nodeName"] != b["spec"]["nodeName"]]
    assert pairs
    latencies = []
    for source, target in pairs:
        ping = kubectl("exec", source["metadata"]["name"], "--", "ping", "-c", "3", "-W", "2", target["status"]["podIP"])
        assert ping.rc == 0, "{} ({}) -> {} ({}): {}{}".format(
            source["metadata"]["name"], source["spec"]["nodeName"], target["metadata"]["name"],
            target["spec"]["nodeName"], ping.stdout, ping.stderr)
        assert " 0% packet loss" in ping.stdout
        latencies.append(float(re.search(r"= [\d.]+/([\d.]+)/", ping.stdout).group(1)))
    print("pod-to-pod across nodes: {} pairs, mean rtt {:.3f} ms, max {:.3f} ms".format(
        len(latencies), sum(latencies) / len(latencies), max(latencies)))


@pytest.mark.parametrize("name", NODES)
def test_cluster_ip_service_answers_on_every_node(name, web):
    pods, cluster_ip = web
    names = {p["metadata"]["name"] for p in pods}

    def answered():
        out = http_get(host(name), "http://{}/name".format(cluster_ip))
        return out.stdout.strip() if out.rc == 0 else None

    assert wait(answered, timeout=60) in names


@pytest.mark.parametrize("name", NODES)
def test_node_port_answers_on_every_node_address(name, lonely):
    """Asked from outside the nodes (the first master), on every node, with or without the pod."""
    outside = host(MASTERS[0])
    url = "http://{}:{}/name".format(address(name), NODE_PORT)

    def answered():
        out = http_get(outside, url)
        return out.stdout.strip() if out.rc == 0 else None

    assert wait(answered, timeout=60) == lonely["metadata"]["name"], url


@pytest.mark.parametrize("name", MASTERS)
def test_master_reaches_every_pod_over_the_overlay(name, web):
    """A master is in the pod network (its own kbr0 address, a tunnel to every node): it reaches
    the pods on every node directly, as its API server must for webhooks and aggregated APIs."""
    master = host(name)
    route = master.check_output("ip -4 route get %s", web[0][0]["status"]["podIP"])
    assert " dev kbr0 " in route, route
    for pod in web[0]:
        url = "http://{}:8080/name".format(pod["status"]["podIP"])

        def answered(url=url):
            out = http_get(master, url)
            return out.stdout.strip() if out.rc == 0 else None

        assert wait(answered, timeout=30) == pod["metadata"]["name"], \
            "{} -> pod {} on {}: {}".format(name, pod["metadata"]["name"], pod["spec"]["nodeName"], url)


def test_api_server_proxies_to_a_service_and_a_pod(kubectl, web):
    """The API server's proxy subresource reaches pods through the overlay (kubectl get --raw
    .../services/web/proxy/, .../pods/NAME:8080/proxy/): a master outside the pod network
    could not."""
    names = {p["metadata"]["name"] for p in web[0]}
    service = kubectl("get --raw /api/v1/namespaces/default/services/web/proxy/name")
    assert service.rc == 0 and service.stdout.strip() in names, service.stdout + service.stderr
    for pod in web[0]:
        name = pod["metadata"]["name"]
        out = kubectl("get --raw /api/v1/namespaces/default/pods/{}:8080/proxy/name".format(name))
        assert out.rc == 0 and out.stdout.strip() == name, "{} on {}: {}{}".format(
            name, pod["spec"]["nodeName"], out.stdout, out.stderr)
