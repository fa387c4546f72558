"""The cluster works: nodes Ready, a Deployment spread over the nodes runs."""
import json
import time

from conftest import NODES, TEST_IMAGE


def wait(check, timeout=180, interval=3):
    deadline = time.time() + timeout
    while True:
        result = check()
        if result or time.time() > deadline:
            return result
        time.sleep(interval)


def test_every_node_is_ready(kubectl):
    def ready():
        out = kubectl("get nodes -o json")
        if out.rc != 0:
            return None
        nodes = json.loads(out.stdout)["items"]
        status = {
            n["metadata"]["name"]: [c["status"] for c in n["status"]["conditions"] if c["type"] == "Ready"][0]
            for n in nodes
        }
        return status if status == {n: "True" for n in NODES} else None

    assert wait(ready), kubectl("get nodes -o wide").stdout


DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "spread", "namespace": "default", "labels": {"app": "spread"}},
    "spec": {
        "replicas": 2 * len(NODES),
        "selector": {"matchLabels": {"app": "spread"}},
        "template": {
            "metadata": {"labels": {"app": "spread"}},
            "spec": {
                "topologySpreadConstraints": [{
                    "maxSkew": 1,
                    "topologyKey": "kubernetes.io/hostname",
                    "whenUnsatisfiable": "DoNotSchedule",
                    "labelSelector": {"matchLabels": {"app": "spread"}},
                }],
                "containers": [{
                    "name": "busybox",
                    "image": TEST_IMAGE,
                    "imagePullPolicy": "Never",
                    "command": ["sh", "-c", "httpd -f -p 8080 -h /etc"],
                    "ports": [{"containerPort": 8080}],
                }],
            },
        },
    },
}


def test_deployment_spreads_over_all_nodes_and_runs(kubectl):
    assert kubectl("apply -f -", stdin=json.dumps(DEPLOYMENT)).rc == 0
    rollout = kubectl("rollout status deployment/spread --timeout=240s")
    pods = kubectl("get pods -l app=spread -o wide")
    assert rollout.rc == 0, rollout.stderr + pods.stdout
    items = json.loads(kubectl("get pods -l app=spread -o json").stdout)["items"]
    running = [p for p in items if p["status"]["phase"] == "Running"]
    assert len(running) == 2 * len(NODES), pods.stdout
    assert {p["spec"]["nodeName"] for p in running} == set(NODES), pods.stdout
    assert all(p["status"].get("podIP") for p in running), pods.stdout
