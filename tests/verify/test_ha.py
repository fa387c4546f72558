"""Several masters: the nodes reach them through a load balancer, and the cluster keeps working
when one master is lost.

The nodes that are not masters reach the API servers through their local load balancer
(roles/apiserver_lb: haproxy on 127.0.0.1:k8s_apiserver_lb_port, every master behind it), or
through k8s_apiserver_endpoint where the inventory sets one. Then the master whose
controller-manager leads is lost: its etcd member (when it is one), API server,
controller-manager and scheduler are killed
(SIGKILL) and kept stopped. While it is gone, a probe on a node asks the API servers through
the node's way to them every few tenths of a second (the longest gap between two answers is
printed: how long the API was unavailable to the nodes), a new Deployment's pods are
scheduled and start on every node (after another master's controller-manager and scheduler
took the lead), its Service answers, and every kubelet keeps renewing its lease (the nodes stay Ready).
When the master's services start again, its etcd member and API server catch up with what
was written meanwhile, with no action.

Runs on clusters with more than one master (skipped otherwise); the loss of a master only with
K8S_TEST_FAILOVER=yes (the default scenario sets it): it kills a master's services.
"""
import json
import os
import time
from datetime import datetime, timezone

import pytest

from conftest import (CONFIG_DIR, ETCD, KUBECTL, MASTERS, NODES, PKI_DIR, api_probe_gaps, host, kubectl_on, setting,
                      start_api_probe)
from helpers import etcdctl, http_get, kube_timeout, ready_nodes, running_pods, wait, web_service

pytestmark = pytest.mark.skipif(len(MASTERS) < 2, reason="one master: nothing to fail over to")

ENDPOINT = setting("k8s_apiserver_endpoint", "")
LB_PORT = setting("k8s_apiserver_lb_port", 6444)
WORKERS = [n for n in NODES if n not in MASTERS]
NAME = "ha-after-loss"


def kubelet_server(name):
    config = host(name).file(CONFIG_DIR + "/kubelet.kubeconfig").content_string
    return [line.split()[-1] for line in config.splitlines() if line.strip().startswith("server:")]


@pytest.mark.parametrize("name", WORKERS)
def test_nodes_reach_the_masters_through_their_load_balancer(name):
    if ENDPOINT:
        assert kubelet_server(name) == [ENDPOINT]
        return
    assert kubelet_server(name) == ["https://127.0.0.1:{}".format(LB_PORT)]
    node = host(name)
    assert node.service("haproxy").is_running and node.service("haproxy").is_enabled
    listening = node.socket("tcp://127.0.0.1:{}".format(LB_PORT))
    assert listening.is_listening
    assert not node.socket("tcp://0.0.0.0:{}".format(LB_PORT)).is_listening
    config = node.file("/etc/haproxy/haproxy.cfg").content_string
    assert sorted(line.split()[1] for line in config.splitlines() if line.strip().startswith("server ")) == MASTERS


def test_etcd_has_every_member_started():
    members = json.loads(host(ETCD[0]).check_output(etcdctl(PKI_DIR) + "member list -w json"))["members"]
    assert sorted(m["name"] for m in members) == ETCD
    assert all(m.get("clientURLs") for m in members), members


def _lease_times(kubectl):
    leases = json.loads(kubectl("get leases -n kube-node-lease -o json").stdout)["items"]
    return {item["metadata"]["name"]: datetime.strptime(item["spec"]["renewTime"][:19], "%Y-%m-%dT%H:%M:%S")
            .replace(tzinfo=timezone.utc).timestamp() for item in leases}


def _service_answers(node, cluster_ip):
    out = http_get(node, "http://{}/name".format(cluster_ip))
    return out.stdout.strip() if out.rc == 0 else None


def _leader(kubectl, component):
    """The master that leads kube-controller-manager or kube-scheduler now (its Lease, or the
    annotation of its Endpoints where the lock is kept there), or None."""
    lease = kubectl("get lease -n kube-system {} -o jsonpath={{.spec.holderIdentity}}".format(component))
    holder = lease.stdout.strip() if lease.rc == 0 else ""
    if not holder:
        endpoints = kubectl("get endpoints -n kube-system {} -o json".format(component))
        if endpoints.rc == 0:
            annotation = json.loads(endpoints.stdout)["metadata"].get("annotations", {}).get(
                "control-plane.alpha.kubernetes.io/leader", "{}")
            holder = json.loads(annotation).get("holderIdentity", "")
    return next((m for m in MASTERS if holder.startswith(m + "_") or holder == m), None)


@pytest.mark.skipif(os.environ.get("K8S_TEST_FAILOVER") != "yes",
                    reason="kills a master's etcd and control plane for a while: set K8S_TEST_FAILOVER=yes")
def test_losing_a_master_keeps_the_cluster_working(kubectl):
    """The master lost is the one whose controller-manager leads, so that another master's
    must take over."""
    leaders = {c: _leader(kubectl, c) for c in ("kube-controller-manager", "kube-scheduler")}
    assert all(leaders.values()), leaders
    lost_name = leaders["kube-controller-manager"]
    survivor = next(m for m in MASTERS if m != lost_name)
    ask = kubectl_on(survivor)
    services = (["etcd"] if lost_name in ETCD else []) + ["kube-apiserver", "kube-controller-manager", "kube-scheduler"]
    victim, probe_node = host(lost_name), host(WORKERS[0] if WORKERS else NODES[0])
    unit = start_api_probe(probe_node, 600)
    time.sleep(3)
    manifest = web_service(NAME, len(NODES), grace_seconds=1)
    try:
        lost = time.time()
        victim.check_output("systemctl kill --signal=SIGKILL {0}; systemctl stop {0}".format(" ".join(services)))
        assert all(not victim.service(s).is_running for s in services)

        # another master's controller-manager and scheduler lead
        moved = wait(lambda: all(_leader(ask, c) not in (None, lost_name) for c in leaders), timeout=120, interval=2)
        assert moved, {c: _leader(ask, c) for c in leaders}
        took_over = time.time() - lost

        # new pods are scheduled and started on every node, and their Service answers
        assert ask("apply -f -", stdin=json.dumps(manifest)).rc == 0
        rollout = ask("rollout status deployment/{} {}".format(NAME, kube_timeout()))
        assert rollout.rc == 0, rollout.stderr + ask("get pods -o wide").stdout
        pods = running_pods(ask("get pods -l app={} -o json".format(NAME)).stdout)
        assert {p["spec"]["nodeName"] for p in pods} == set(NODES)
        scheduled = time.time() - lost
        cluster_ip = json.loads(ask("get service {} -o json".format(NAME)).stdout)["spec"]["clusterIP"]
        assert wait(lambda: _service_answers(probe_node, cluster_ip), timeout=60) in {p["metadata"]["name"] for p in pods}

        # every kubelet renewed its lease well after the loss (past the 40 s after which an
        # unrenewed node turns NotReady), and every node is Ready
        renewed = wait(lambda: all(t > lost + 45 for t in _lease_times(ask).values()), timeout=120, interval=5)
        assert renewed, {n: t - lost for n, t in _lease_times(ask).items()}
        names, ready = ready_nodes(ask("get nodes -o json").stdout)
        assert ready == set(NODES), names
        answers, failures, gap = api_probe_gaps(probe_node, unit)
        print("master {} lost (it led {}): another master led after {:.0f} s; new pods running on every node "
              "after {:.0f} s; the API through the node's balancer: {} answers, {} failures, longest gap "
              "between answers {:.1f} s".format(lost_name, ", ".join(c for c, m in leaders.items() if m == lost_name),
                                                took_over, scheduled, answers, failures, gap))
        assert answers > 50 and gap < 15, (answers, failures, gap)
    finally:
        probe_node.run("systemctl stop %s", unit)
        back = time.time()
        victim.run("systemctl start {}".format(" ".join(services)))

    # back: the master's etcd member holds what was written while it was gone (a read of its
    # own data, not the leader's), and its API server serves it
    key = "/registry/deployments/default/" + NAME
    if lost_name in ETCD:
        local = "{}get {} --keys-only --consistency=s".format(etcdctl(PKI_DIR), key)
        assert wait(lambda: victim.run(local).stdout.strip() == key, timeout=120), victim.run(local)
    own = "{} --kubeconfig {}/admin.kubeconfig get deployment {} -o name".format(KUBECTL, CONFIG_DIR, NAME)
    assert wait(lambda: victim.run(own).rc == 0, timeout=180), victim.run(own).stderr
    print("master {} back: caught up after {:.0f} s".format(lost_name, time.time() - back))
    assert ask("delete deployment,service {} --wait=false".format(NAME)).rc == 0
