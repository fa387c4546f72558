"""Pod security (roles/control_plane, control_plane_pod_security): PodSecurityPolicy admission
with k8s-classic-restricted for every pod, k8s-classic-baseline and k8s-classic-privileged only
for the service accounts of the namespaces control_plane_pod_security_namespaces names.

Each pod is submitted with a server-side dry run (it passes admission, nothing is created) as
the ReplicaSet controller submits every Deployment's pods (kubectl --as its service account of
kube-system, with the groups of its token), and the answer is read: refused with the policy's
reason, or admitted under which policy (the kubernetes.io/psp annotation). A pod is admitted
under a policy that its creator or its own service account may use. Then the pods that run:
each was admitted under the policy its namespace allows.
"""
import json

import pytest

from conftest import MASTERS, host, setting
from helpers import TEST_ACCOUNT, TEST_IMAGE, running_pods

ENABLED = setting("control_plane_pod_security", True)
NAMESPACES = setting("control_plane_pod_security_namespaces", {"kube-system": "privileged"})
CONFIG_DIR = setting("k8s_config_dir", "/etc/kubernetes")
REFUSED = "PodSecurityPolicy: unable to admit pod"

pytestmark = pytest.mark.skipif(not ENABLED, reason="control_plane_pod_security is false in this inventory")


def _pod(namespace="default", pod_spec=None, container=None):
    spec = {"containers": [dict({"name": "c", "image": TEST_IMAGE, "command": ["sleep", "1"]}, **(container or {}))]}
    spec.update(pod_spec or {})
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "psp-probe", "namespace": namespace}, "spec": spec}


def _submit(kubectl, pod):
    """Create the pod with a server-side dry run as the ReplicaSet controller (a service account
    of kube-system): (admitted, the pod as admitted or the refusal)."""
    result = kubectl("create --dry-run=server -o json -f -",
                     "--as=system:serviceaccount:kube-system:replicaset-controller",
                     "--as-group=system:serviceaccounts", "--as-group=system:serviceaccounts:kube-system",
                     "--as-group=system:authenticated", stdin=json.dumps(pod))
    if result.rc == 0:
        return True, json.loads(result.stdout)
    return False, result.stderr


def _policy(admitted_pod):
    return admitted_pod["metadata"].get("annotations", {}).get("kubernetes.io/psp")


def test_the_apiserver_admits_pods_through_the_policies(kubectl):
    for master in MASTERS:
        flags = host(master).file(CONFIG_DIR + "/apiserver").content_string
        assert "PodSecurityPolicy" in flags, master
    names = kubectl("get podsecuritypolicies -o name").stdout.split()
    assert {"podsecuritypolicy.policy/k8s-classic-" + p for p in ("restricted", "baseline", "privileged")} <= set(names)


@pytest.mark.parametrize("what,pod,reason", [
    ("privileged", _pod(container={"securityContext": {"privileged": True}}), "Privileged containers are not allowed"),
    ("host network", _pod(pod_spec={"hostNetwork": True}), "Host network is not allowed"),
    ("host path", _pod(pod_spec={"volumes": [{"name": "root", "hostPath": {"path": "/"}}]}),
     "hostPath volumes are not allowed"),
    ("NET_RAW", _pod(container={"securityContext": {"capabilities": {"add": ["NET_RAW"]}}}),
     "capability may not be added"),
    ("root", _pod(pod_spec={"securityContext": {"runAsUser": 0}}), "running with the root UID is forbidden"),
])
def test_restricted_refuses_in_an_ordinary_namespace(kubectl, what, pod, reason):
    admitted, answer = _submit(kubectl, pod)
    assert not admitted, "{} admitted under {}".format(what, _policy(answer))
    assert REFUSED in answer and reason in answer, answer


def test_restricted_admits_an_ordinary_pod_without_root_or_capabilities(kubectl):
    admitted, pod = _submit(kubectl, _pod(pod_spec={"securityContext": {"runAsUser": 65534}}))
    assert admitted, pod
    assert _policy(pod) == "k8s-classic-restricted"
    context = pod["spec"]["containers"][0]["securityContext"]
    assert context["allowPrivilegeEscalation"] is False and context["capabilities"]["drop"] == ["ALL"], context
    # and one that says nothing about its user is made to run as non-root
    admitted, pod = _submit(kubectl, _pod())
    assert admitted, pod
    assert pod["spec"]["containers"][0]["securityContext"].get("runAsNonRoot") is True, pod["spec"]


def test_privileged_only_inside_the_namespaces_that_have_it(kubectl):
    privileged = [n for n, p in sorted(NAMESPACES.items()) if p == "privileged"]
    if not privileged:
        pytest.skip("no namespace is privileged in this inventory")
    namespace = privileged[0]
    pod = _pod(pod_spec={"hostNetwork": True}, container={"securityContext": {"privileged": True}})
    admitted, answer = _submit(kubectl, dict(pod, metadata={"name": "psp-probe", "namespace": namespace}))
    assert admitted, answer
    assert _policy(answer) == "k8s-classic-privileged"
    # the same controller, a service account of kube-system, gets no more than restricted for
    # the pods of another namespace
    admitted, answer = _submit(kubectl, pod)
    assert not admitted and REFUSED in answer, answer


def test_the_test_account_has_baseline_and_no_more(kubectl):
    account = {"serviceAccountName": TEST_ACCOUNT}
    admitted, pod = _submit(kubectl, _pod(pod_spec=account))
    assert admitted, pod
    assert _policy(pod) == "k8s-classic-baseline"
    assert "runAsNonRoot" not in pod["spec"]["containers"][0].get("securityContext", {})
    admitted, answer = _submit(kubectl, _pod(pod_spec=dict(account, hostNetwork=True)))
    assert not admitted and REFUSED in answer, answer


def test_running_pods_were_admitted_under_their_namespace_policy(kubectl):
    """Every pod that runs came through the admission with a policy; outside the namespaces
    of control_plane_pod_security_namespaces, and but for the test account, restricted."""
    pods = running_pods(kubectl("get pods --all-namespaces -o json").stdout)
    assert pods
    allowed = {"restricted": {"k8s-classic-restricted"},
               "baseline": {"k8s-classic-restricted", "k8s-classic-baseline"},
               "privileged": {"k8s-classic-restricted", "k8s-classic-baseline", "k8s-classic-privileged"}}
    for pod in pods:
        namespace = pod["metadata"]["namespace"]
        level = NAMESPACES.get(namespace, "restricted")
        if pod["spec"].get("serviceAccountName") == TEST_ACCOUNT and level == "restricted":
            level = "baseline"
        assert _policy(pod) in allowed[level], (namespace, pod["metadata"]["name"], _policy(pod))
