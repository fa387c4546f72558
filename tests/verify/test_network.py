"""The pod network (ovs_gre): pods reach each other across nodes, Services answer.

Pods of a Deployment spread over every node; a ClusterIP Service in front of them; and a
NodePort Service (port 30002; the guestbook has 30001, as in the original notes) in front of one pod on the first
node only, so that the other nodes must forward to it.
"""
import json
import re

import pytest

from conftest import MASTERS, NODES, address, host
from helpers import http_get, running_pods, wait, web_service

NODE_PORT = 30002


def _deploy(kubectl, manifest, name):
    assert kubectl("apply -f -", stdin=json.dumps(manifest)).rc == 0
    rollout = kubectl("rollout status deployment/{} --timeout=240s".format(name))
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
