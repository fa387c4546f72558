"""The cluster measured by kube-bench against the CIS Kubernetes Benchmark 1.6 (the one for
Kubernetes 1.20): on the first master (master, controlplane, policies), the first etcd member
(etcd) and every node (node). kube-bench's own checks, with its expected paths mapped to this
collection's layout (tests/kube-bench/paths.yml: env files, units and kubeconfigs under
k8s_config_dir and /etc/systemd/system); no check is changed or left out. Every FAIL must be one
of the documented exceptions (tests/kube-bench/exceptions.yml, each with its reason). The
reports are saved under .cache/test-logs/kube-bench/ and their totals printed.

Runs when K8S_TEST_KUBE_BENCH=yes (the default scenario sets it): kube-bench is built from its
Go module by lab/build-kube-bench.sh (cached)."""
import json
import os
import subprocess

import pytest
import yaml

from conftest import CONFIG_DIR, ETCD, MASTERS, NODES, PKI_DIR, host, setting

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HERE = os.path.join(REPO, "tests", "kube-bench")
REPORTS = os.path.join(REPO, ".cache", "test-logs", "kube-bench")
REMOTE = "/var/tmp/k8s-classic-kube-bench"
BENCHMARK = "cis-1.6"

pytestmark = pytest.mark.skipif(os.environ.get("K8S_TEST_KUBE_BENCH") != "yes",
                                reason="K8S_TEST_KUBE_BENCH=yes runs kube-bench")

with open(os.path.join(HERE, "exceptions.yml")) as _handle:
    EXCEPTIONS = yaml.safe_load(_handle)
# (host, kube-bench targets) in the order they run
RUNS = [(MASTERS[0], "master,controlplane,policies"), (ETCD[0], "etcd")] + [(n, "node") for n in NODES]


def render_paths():
    """tests/kube-bench/paths.yml with the cluster's settings filled in ({k8s_config_dir},
    {k8s_pki_dir})."""
    with open(os.path.join(HERE, "paths.yml")) as handle:
        text = handle.read()
    for name, default in (("k8s_config_dir", "/etc/kubernetes"), ("k8s_pki_dir", "/etc/kubernetes/pki")):
        text = text.replace("{" + name + "}", setting(name, default))
    return yaml.safe_load(text)


def merge(base, override):
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = value
    return base


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    """kube-bench and its cfg/ with the paths mapped, as a directory to copy to the hosts."""
    built = subprocess.run(["bash", os.path.join(REPO, "lab", "build-kube-bench.sh")],
                           capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr[-3000:]
    source = built.stdout.strip()
    local = tmp_path_factory.mktemp("kube-bench")
    subprocess.run(["cp", "-r", source + "/kube-bench", source + "/cfg", str(local)], check=True)
    version_config = local / "cfg" / BENCHMARK / "config.yaml"
    with open(version_config) as handle:
        config = yaml.safe_load(handle) or {}
    with open(version_config, "w") as handle:
        yaml.safe_dump(merge(config, render_paths()), handle)
    # one archive: a copy per file of cfg/ would cost minutes
    archive = str(local) + ".tar.gz"
    subprocess.run(["tar", "-czf", archive, "-C", str(local), "."], check=True)
    return archive


def run_bench(bench, name, targets):
    node = host(name)
    node.run("rm -rf %s && mkdir -p %s", REMOTE, REMOTE)
    node.ansible("unarchive", "src={} dest={}".format(bench, REMOTE), become=True, check=False)
    out = node.run("cd {0} && ./kube-bench run --benchmark {1} --targets {2} --config-dir {0}/cfg "
                   "--config {0}/cfg/config.yaml --json --noremediations".format(REMOTE, BENCHMARK, targets))
    node.run("rm -rf %s", REMOTE)
    assert out.stdout.strip().startswith("{"), out.stdout[-2000:] + out.stderr[-2000:]
    return json.loads(out.stdout)


def failures(report):
    return {t["test_number"]: t["test_desc"] for c in report["Controls"] for g in c["tests"]
            for t in g["results"] if t["status"] == "FAIL"}


@pytest.mark.parametrize("name,targets", RUNS, ids=["{} {}".format(n, t) for n, t in RUNS])
def test_no_cis_failure_outside_the_documented_exceptions(bench, name, targets):
    report = run_bench(bench, name, targets)
    os.makedirs(REPORTS, exist_ok=True)
    with open(os.path.join(REPORTS, "{}-{}.json".format(name, targets.split(",")[0])), "w") as handle:
        json.dump(report, handle, indent=1)
    totals = report["Totals"]
    print("kube-bench {} on {} ({}): {} PASS, {} FAIL, {} WARN, {} INFO".format(
        BENCHMARK, name, targets, totals["total_pass"], totals["total_fail"], totals["total_warn"],
        totals["total_info"]))
    unexpected = {k: v for k, v in failures(report).items() if k not in EXCEPTIONS}
    assert not unexpected, unexpected


def test_every_exception_has_a_reason():
    assert EXCEPTIONS and all(isinstance(r, str) and len(r) > 40 for r in EXCEPTIONS.values())


def test_what_kube_bench_cannot_see_holds():
    """The requirements of the exceptions that are about where kube-bench looks (1.1.11-14), and
    1.1.19 but for the keys etcd (not root) must read."""
    data_dir = setting("etcd_data_dir", "/var/lib/etcd/member-data")
    for name in ETCD:
        directory = host(name).file(data_dir)
        assert directory.is_directory and directory.mode == 0o700, (name, oct(directory.mode))
        assert (directory.user, directory.group) == ("etcd", "etcd"), name
    for name in MASTERS:
        admin = host(name).file(CONFIG_DIR + "/admin.kubeconfig")
        assert admin.mode == 0o600 and (admin.user, admin.group) == ("root", "root"), (name, oct(admin.mode))

    etcd_keys = {PKI_DIR + "/etcd/server.key", PKI_DIR + "/etcd/peer.key"}
    for name in sorted(set(ETCD + MASTERS)):
        owners = host(name).check_output("find %s -exec stat -c '%%n %%U:%%G %%a' {} +", PKI_DIR).splitlines()
        for line in owners:
            path, owner, mode = line.rsplit(" ", 2)
            if name in ETCD and path in etcd_keys:
                assert (owner, mode) == ("etcd:etcd", "600"), (name, line)
            else:
                assert owner == "root:root", (name, line)
