"""What the cluster tests share: running a playbook as an operator does, reading its PLAY
RECAP, waiting for a condition, and the busybox Deployment spread over the nodes.

Plain functions, no pytest fixtures, so that every test directory (tests/verify and the
Molecule scenarios' tests/) imports the same ones: its conftest.py puts this directory on
sys.path, then `from helpers import run_playbook, recap`. No test module imports another.
"""
import json
import os
import re
import subprocess
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
# the test pods' image: busybox as the lab builds it (lab/build-artifacts.sh), preloaded on every
# node; a lab cluster with a registry pulls docker.io's name busybox:1.35 through its mirror
# (K8S_TEST_IMAGE=busybox:1.35); another cluster sets its own
TEST_IMAGE = os.environ.get("K8S_TEST_IMAGE", "lab.local/busybox:1.35")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# How much slower than the container lab the platform is: every timeout of these helpers (a
# playbook run, a wait, a rollout) is multiplied by it. 1 for the lab's containers; the VM
# scenarios set more (molecule/cluster_vm: emulated VMs run a playbook about 3 times slower).
_SCALE = os.environ.get("K8S_TEST_TIME_SCALE") or "1"
if not re.fullmatch(r"[0-9]*\.?[0-9]+", _SCALE) or float(_SCALE) == 0:
    raise ValueError("K8S_TEST_TIME_SCALE is {!r}: give a positive number, e.g. 3".format(_SCALE))
TIME_SCALE = float(_SCALE)
# The test pods run busybox as root and ping (NET_RAW), which the cluster's default pod
# security policy (k8s-classic-restricted, roles/control_plane) refuses. They run as this
# service account of the default namespace, which alone may use k8s-classic-baseline: nothing
# else in the cluster gets more than the cluster gives it. TEST_ACCOUNT_MANIFEST creates both.
TEST_ACCOUNT = "k8s-classic-tests"
TEST_ACCOUNT_MANIFEST = json.dumps({"apiVersion": "v1", "kind": "List", "items": [
    {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": TEST_ACCOUNT, "namespace": "default"}},
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
     "metadata": {"name": TEST_ACCOUNT + ":baseline", "namespace": "default"},
     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "k8s-classic:psp:baseline"},
     "subjects": [{"kind": "ServiceAccount", "name": TEST_ACCOUNT, "namespace": "default"}]},
]})


def run_playbook(playbook, inventory, *extra_vars, check=False, args=(), timeout=1500):
    """ansible-playbook -i INVENTORY PLAYBOOK [-e ...] [--check --diff] ARGS..., run from this
    repository's .venv with its ansible.cfg and plain (colourless, default callback) output.

    playbook: a path relative to the repository (``site.yml``, ``playbooks/scale.yml``) or
    absolute. Each extra var is one ``-e``: a ``"key=value"`` string, a dict, or a
    ``(key, value)`` pair (dicts and pairs are passed as JSON, so values keep their type).
    args: more command-line arguments (``["--limit", "node2"]``).
    Returns the CompletedProcess, stdout without ANSI colours, plus ``seconds`` it took.
    """
    argv = [os.path.join(REPO, ".venv", "bin", "ansible-playbook"), "-i", str(inventory),
            os.path.join(REPO, playbook)]
    for extra in extra_vars:
        if isinstance(extra, tuple):
            extra = {extra[0]: extra[1]}
        argv += ["-e", extra if isinstance(extra, str) else json.dumps(extra)]
    if check:
        argv += ["--check", "--diff"]
    argv += list(args)
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_FORCE_COLOR="0", ANSIBLE_STDOUT_CALLBACK="default")
    started = time.time()
    result = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout * TIME_SCALE,
                            check=False)
    result.stdout = _ANSI.sub("", result.stdout)
    result.seconds = time.time() - started
    return result


def recap(result):
    """{host: {'ok': n, 'changed': n, 'failed': n, ...}} from the last PLAY RECAP of a run
    (empty when the run printed none, e.g. it stopped at a syntax error)."""
    out = {}
    if "PLAY RECAP" not in result.stdout:
        return out
    for line in result.stdout.split("PLAY RECAP")[-1].splitlines():
        match = re.match(r"^(\S+)\s+:\s+(.*)$", _ANSI.sub("", line).strip())
        if match:
            out[match.group(1)] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", match.group(2))}
    return out


def wait(check, timeout=180, interval=3):
    """Call check() until it returns something true or timeout seconds have passed; return
    its last result (false when it never succeeded, for the assertion to show). The timeout
    is scaled by K8S_TEST_TIME_SCALE."""
    deadline = time.time() + timeout * TIME_SCALE
    while True:
        result = check()
        if result or time.time() > deadline:
            return result
        time.sleep(interval)


def kube_timeout(seconds=240):
    """kubectl's --timeout for a rollout or a wait, scaled by K8S_TEST_TIME_SCALE: "--timeout=240s"."""
    return "--timeout={}s".format(int(seconds * TIME_SCALE))


def etcdctl(pki_dir):
    """etcdctl's command line for the etcd member on the host it runs on (v3 API, the local
    client port, the health-check client certificate under PKI_DIR/etcd), as a shell string
    to append the command to: host.run(etcdctl(PKI_DIR) + "member list -w json")."""
    return ("ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert={0}/etcd/ca.crt "
            "--cert={0}/etcd/healthcheck-client.crt --key={0}/etcd/healthcheck-client.key ").format(pki_dir)


def spread_deployment(name, replicas, command, port=None, node=None, grace_seconds=None):
    """A Deployment of busybox pods labelled app=NAME, spread evenly over the nodes (at most one
    pod more on any node: a pod that cannot keep that stays Pending rather than crowd a node).
    They run as TEST_ACCOUNT (apply TEST_ACCOUNT_MANIFEST first).

    command: the container's command (a list); port: its containerPort, if any; node: pin
    every pod to that node; grace_seconds: terminationGracePeriodSeconds (fast deletes).
    """
    container = {"name": name, "image": TEST_IMAGE, "imagePullPolicy": "IfNotPresent", "command": list(command)}
    if port:
        container["ports"] = [{"containerPort": port}]
    pod_spec = {
        "topologySpreadConstraints": [{
            "maxSkew": 1,
            "topologyKey": "kubernetes.io/hostname",
            "whenUnsatisfiable": "DoNotSchedule",
            "labelSelector": {"matchLabels": {"app": name}},
        }],
        "containers": [container],
        "serviceAccountName": TEST_ACCOUNT,
    }
    if node:
        pod_spec["nodeSelector"] = {"kubernetes.io/hostname": node}
    if grace_seconds is not None:
        pod_spec["terminationGracePeriodSeconds"] = grace_seconds
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": "default", "labels": {"app": name}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": pod_spec},
        },
    }


def web_service(name, replicas, node=None, service_type="ClusterIP", node_port=None, grace_seconds=None):
    """A List of a spread Deployment of web servers that answer /name with their pod's name
    (busybox httpd on 8080) and a Service of `service_type` in front of them on port 80 (a
    NodePort one on node_port). node and grace_seconds as for spread_deployment."""
    command = ["sh", "-c", "hostname > /tmp/name && httpd -f -p 8080 -h /tmp"]
    port = {"port": 80, "targetPort": 8080}
    if node_port:
        port["nodePort"] = node_port
    return {"apiVersion": "v1", "kind": "List", "items": [
        spread_deployment(name, replicas, command, port=8080, node=node, grace_seconds=grace_seconds),
        {
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"type": service_type, "selector": {"app": name}, "ports": [port]},
        },
    ]}


def http_get(on_host, url):
    """GET url from a testinfra host with its python3 (present wherever Ansible manages the
    host); the result of host.run, the body stripped on stdout."""
    script = "import urllib.request; print(urllib.request.urlopen('{}', timeout=5).read().decode().strip())".format(url)
    return on_host.run("python3 -c \"{}\"".format(script))


def running_pods(pod_list_json):
    """The pods of a `kubectl get pods -o json` output that run and are not being deleted."""
    return [p for p in json.loads(pod_list_json)["items"]
            if p["status"]["phase"] == "Running" and not p["metadata"].get("deletionTimestamp")]


def ready_nodes(node_list_json):
    """(names, ready names) of a `kubectl get nodes -o json` output, as two sets."""
    items = json.loads(node_list_json or '{"items": []}')["items"]
    names = {n["metadata"]["name"] for n in items}
    ready = {n["metadata"]["name"] for n in items
             if [c["status"] for c in n["status"]["conditions"] if c["type"] == "Ready"] == ["True"]}
    return names, ready
