"""The cluster works: nodes Ready, a Deployment spread over the nodes runs."""
import json

from conftest import NODES
from helpers import kube_timeout, ready_nodes, running_pods, spread_deployment, wait


def test_every_node_is_ready(kubectl):
    def ready():
        out = kubectl("get nodes -o json")
        if out.rc != 0:
            return None
        names, up = ready_nodes(out.stdout)
        return up if up == names == set(NODES) else None

    assert wait(ready), kubectl("get nodes -o wide").stdout


# two busybox web servers per node, spread evenly
DEPLOYMENT = spread_deployment("spread", 2 * len(NODES), ["sh", "-c", "httpd -f -p 8080 -h /etc"], port=8080)


def test_deployment_spreads_over_all_nodes_and_runs(kubectl):
    assert kubectl("apply -f -", stdin=json.dumps(DEPLOYMENT)).rc == 0
    rollout = kubectl("rollout status deployment/spread " + kube_timeout())
    pods = kubectl("get pods -l app=spread -o wide")
    assert rollout.rc == 0, rollout.stderr + pods.stdout
    running = running_pods(kubectl("get pods -l app=spread -o json").stdout)
    assert len(running) == 2 * len(NODES), pods.stdout
    assert {p["spec"]["nodeName"] for p in running} == set(NODES), pods.stdout
    assert all(p["status"].get("podIP") for p in running), pods.stdout
