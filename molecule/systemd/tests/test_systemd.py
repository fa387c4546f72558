"""The lab node container runs systemd and was reached by the converge play."""
import os

import testinfra.utils.ansible_runner

testinfra_hosts = testinfra.utils.ansible_runner.AnsibleRunner(
    os.environ["MOLECULE_INVENTORY_FILE"]
).get_hosts("lab")


def test_systemd_is_pid_1_and_running(host):
    assert host.check_output("cat /proc/1/comm") == "systemd"
    state = host.run("systemctl is-system-running")
    assert state.stdout.strip() == "running", host.check_output("systemctl --failed --no-legend")


def test_no_failed_units(host):
    assert host.check_output("systemctl --failed --no-legend --plain") == ""


def test_marker_names_the_node_and_its_fixed_address(host):
    name = host.backend.get_hostname()
    marker = host.file("/etc/k8s-classic-lab")
    assert marker.mode == 0o644
    expected = {"systemd-node1": "172.30.20.11", "systemd-node2": "172.30.20.12", "systemd-node3": "172.30.20.13"}
    assert marker.content_string == "{} {}\n".format(name, expected[name])
