"""Every path a unit of ours relies on exists, made by a role, not by the host or the lab.

A systemd unit that names a missing WorkingDirectory fails with status 200/CHDIR, a missing
EnvironmentFile with "Failed to load environment files", a missing binary with 203/EXEC; a
flag in an /etc/kubernetes env file that names a missing file makes the component exit at
start. The lab's node containers mount nothing at the paths the roles own (see docs and
lab/node-container.yml), so a role that forgets to create one fails here as on a real host.
"""
import re

import pytest

from conftest import POD_NETWORK, SERVICES, host

UNITS = dict(SERVICES, **{"ovs-gre-network": POD_NETWORK})
CASES = [(unit, name) for unit, names in sorted(UNITS.items()) for name in names]
# a flag value that is a path: --flag=/a/path (quotes and trailing backslashes stripped)
PATH_FLAG = re.compile(r"--[a-z0-9-]+=(/[^\s\"',]+)")


def _show(h, unit):
    out = h.check_output("systemctl show %s -p WorkingDirectory -p EnvironmentFiles -p ExecStart "
                         "-p ReadWritePaths -p LoadState -p NRestarts", unit)
    props = {}
    for line in out.splitlines():
        key, value = line.partition("=")[::2]
        props.setdefault(key, []).append(value)
    return props


@pytest.mark.parametrize("unit,name", CASES)
def test_unit_paths_exist(unit, name):
    h = host(name)
    props = _show(h, unit)
    assert props["LoadState"] == ["loaded"], "{} on {}: {}".format(unit, name, props["LoadState"])
    paths = []
    for value in props.get("WorkingDirectory", []):
        if value and value != "!/":   # "!/" and "" mean none set
            paths.append(value.lstrip("-!"))
    for value in props.get("EnvironmentFiles", []):
        if value:
            # "/etc/kubernetes/config (ignore_errors=no)": an optional file ("-") would hide a miss
            path, flags = value.partition(" ")[::2]
            assert "ignore_errors=no" in flags, "{} on {}: EnvironmentFile {} is optional".format(unit, name, path)
            paths.append(path)
    for value in props.get("ExecStart", []):
        match = re.search(r"path=(\S+)", value)
        if match:
            paths.append(match.group(1))
    for value in props.get("ReadWritePaths", []):
        paths.extend(p.lstrip("-") for p in value.split())
    missing = [p for p in paths if not h.file(p).exists]
    assert not missing, "{} on {} names missing paths: {}".format(unit, name, missing)


@pytest.mark.parametrize("unit,name", [c for c in CASES if c[0] in ("etcd", "kubelet", "kube-proxy", "ovs-gre-network")])
def test_unit_runs_without_restarts(unit, name):
    """A unit that came up only after systemd restarted it hides a missing path. (The
    controller-manager and scheduler may legitimately exit once when they lose their
    leader lease while the apiserver restarts.)"""
    props = _show(host(name), unit)
    assert props.get("NRestarts") == ["0"], "{} on {} restarted {} times".format(unit, name, props.get("NRestarts"))


@pytest.mark.parametrize("unit,name", [c for c in CASES if c[0].startswith("kube")])
def test_flag_paths_exist(unit, name):
    """Every file named by a --flag=/path in the unit's env files exists."""
    h = host(name)
    missing = []
    for value in _show(h, unit).get("EnvironmentFiles", []):
        path = value.partition(" ")[0]
        if not path:
            continue
        for flag_path in PATH_FLAG.findall(h.file(path).content_string):
            if not h.file(flag_path).exists:
                missing.append("{} (in {})".format(flag_path, path))
    assert not missing, "{} on {}: flags name missing files: {}".format(unit, name, missing)
