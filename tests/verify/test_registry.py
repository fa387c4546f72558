"""The cluster's own image registry (roles/registry), and the nodes pulling from it.

Runs when the inventory has hosts in the registry group (k8s_registry_group). The registry
answers HTTPS with a certificate of the cluster CA for its address, refuses plain HTTP,
holds the images the cluster runs, and asks for the account when k8s_registry_auth sets
one. Every node trusts it: the pods' sandbox image and CoreDNS come from it, no image
archive was copied to a node, and a pod naming docker.io's busybox:1.35 is pulled through
the registry's docker.io mirror (where the inventory configures one).
"""
import base64
import json
import re
import ssl
import time
import urllib.error
import urllib.request

import pytest

from conftest import CONFIG_DIR, NODES, PKI_DIR, REGISTRIES, RUNTIME, address, host, setting

PORT = int(setting("k8s_registry_port", 5000))
pytestmark = pytest.mark.skipif(not REGISTRIES, reason="no host in the registry group of this inventory")


@pytest.fixture(scope="module")
def registry_address():
    return "{}:{}".format(address(REGISTRIES[0]), PORT)


@pytest.fixture(scope="module")
def tls():
    ca = host(REGISTRIES[0]).file(PKI_DIR + "/ca.crt").content_string
    return ssl.create_default_context(cadata=ca)


@pytest.fixture(scope="module")
def login(registry_address):
    """The registry's account as the nodes have it: the Basic token in the kubelet's
    /var/lib/kubelet/config.json of the first node, or None when no node has one."""
    config = host(NODES[0]).file("/var/lib/kubelet/config.json")
    if not config.exists:
        return None
    return json.loads(config.content_string)["auths"][registry_address]["auth"]


def _get(url, context, token=None):
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", "Basic " + token)
    try:
        with urllib.request.urlopen(request, context=context, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _sandbox_image(node):
    """The pause image the node's runtime and kubelet use, read from their settings on the node."""
    if RUNTIME == "containerd":
        text, pattern = host(node).file("/etc/containerd/config.toml").content_string, r'sandbox_image = "([^"]+)"'
    else:
        text, pattern = host(node).file(CONFIG_DIR + "/kubelet").content_string, r"--pod-infra-container-image=(\S+)"
    return re.search(pattern, text).group(1)


def _docker_io_mirrored(node):
    if RUNTIME == "containerd":
        return host(node).file("/etc/containerd/certs.d/docker.io/hosts.toml").exists
    return bool(json.loads(host(node).file("/etc/docker/daemon.json").content_string).get("registry-mirrors"))


def _runtime_images(node):
    cmd = ("ctr --namespace k8s.io images list --quiet" if RUNTIME == "containerd"
           else "docker image list --format '{{.Repository}}:{{.Tag}}'")
    result = host(node).run(cmd)
    assert result.rc == 0, result.stderr
    return set(result.stdout.split())


@pytest.mark.parametrize("name", REGISTRIES)
def test_registry_service_runs(name):
    services = ["docker-registry", "docker-distribution"]
    assert any(host(name).service(s).is_running for s in services)


def test_registry_answers_https_with_the_cluster_ca_and_holds_the_images(registry_address, tls, login):
    status, body = _get("https://{}/v2/_catalog".format(registry_address), tls, login)
    assert status == 200, body
    repositories = set(json.loads(body)["repositories"])
    # every image the nodes' settings name by the registry is in it
    for node in NODES:
        sandbox = _sandbox_image(node)
        if sandbox.startswith(registry_address + "/"):
            assert sandbox[len(registry_address) + 1:].rsplit(":", 1)[0] in repositories, repositories


def test_registry_refuses_plain_http(registry_address):
    with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
        urllib.request.urlopen("http://{}/v2/".format(registry_address), timeout=10).read()


def test_registry_asks_for_the_account_the_nodes_have(registry_address, tls, login):
    """With an account (k8s_registry_auth), every node has it and the registry refuses anyone
    without it; without one, no node has an account and the registry answers everyone."""
    anonymous = _get("https://{}/v2/".format(registry_address), tls)[0]
    configs = [host(node).file("/var/lib/kubelet/config.json") for node in NODES]
    if login is None:
        assert anonymous == 200
        assert not any(config.exists for config in configs)
        return
    assert anonymous == 401
    assert _get("https://{}/v2/".format(registry_address), tls, login)[0] == 200
    assert _get("https://{}/v2/".format(registry_address), tls, base64.b64encode(b"lab:wrong").decode())[0] == 401
    assert all(config.exists and config.mode == 0o600 for config in configs)


@pytest.mark.parametrize("node", NODES)
def test_node_pulled_its_images_from_the_registry_not_from_archives(node, registry_address):
    """No archive was copied to the node, and its sandbox image (and, on the node that runs
    CoreDNS, the CoreDNS image) carry the registry's name: the runtime pulled them."""
    sandbox = _sandbox_image(node)
    if not sandbox.startswith(registry_address + "/"):
        pytest.skip("the sandbox image is not named by the cluster's registry in this inventory")
    assert not host(node).file(setting("node_image_dir", "/var/lib/k8s-images")).exists
    images = _runtime_images(node)
    assert any(i == sandbox or i.endswith("/" + sandbox) for i in images), images
    assert not [i for i in images if i.startswith(("k8s.gcr.io/", "lab.local/"))], images


def test_docker_io_images_come_through_the_registry_mirror(kubectl, registry_address):
    """A pod naming busybox:1.35 (docker.io/library/busybox) on every node, pulled afresh: this
    machine has no way to Docker Hub, so only the mirror can serve it."""
    if not all(_docker_io_mirrored(node) for node in NODES):
        pytest.skip("the nodes have no mirror of docker.io in this inventory")
    for node in NODES:
        name = "mirror-" + node.replace(".", "-")
        pod = {
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"nodeName": node, "restartPolicy": "Never", "terminationGracePeriodSeconds": 0,
                     "containers": [{"name": "c", "image": "busybox:1.35", "imagePullPolicy": "Always",
                                     "command": ["true"]}]},
        }
        kubectl("delete pod {} --ignore-not-found --wait=true".format(name))
        assert kubectl("apply -f -", stdin=json.dumps(pod)).rc == 0
        phase = ""
        deadline = time.time() + 180
        while time.time() < deadline:
            phase = kubectl("get pod {} -o jsonpath='{{.status.phase}}'".format(name)).stdout.strip()
            if phase in ("Succeeded", "Failed"):
                break
            time.sleep(3)
        events = kubectl("get events --field-selector involvedObject.name={} -o custom-columns=M:.message".format(name)).stdout
        kubectl("delete pod {} --ignore-not-found --wait=false".format(name))
        assert phase == "Succeeded", events
