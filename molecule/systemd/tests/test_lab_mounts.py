"""A lab node container pre-creates nothing that the roles own.

Every mount of a node container (lab/node-container.yml) makes its mount point exist before
any role runs, and so hides a role that forgets to create it (the kubelet's
WorkingDirectory was such a case). Only the mounts a container needs to run systemd, and
one lab-only volume for the inner runtimes' storage, are allowed.
"""
import os

import testinfra.utils.ansible_runner

testinfra_hosts = testinfra.utils.ansible_runner.AnsibleRunner(
    os.environ["MOLECULE_INVENTORY_FILE"]
).get_hosts("lab")

# what docker and systemd mount in every container, and the lab's own volume
ALLOWED = ("/", "/proc", "/dev", "/sys", "/run", "/tmp", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf",
           "/var/lib/lab-storage")
ALLOWED_UNDER = ("/proc/", "/dev/", "/sys/", "/run/")
# paths the roles create and own (and their parents up to /var/lib, /etc, /usr/local)
OWNED = ("/var/lib/kubelet", "/var/lib/containerd", "/var/lib/docker", "/var/lib/etcd", "/var/lib/cni",
         "/var/lib/k8s-images", "/var/lib/openvswitch", "/etc/kubernetes", "/etc/etcd", "/etc/cni",
         "/etc/containerd", "/etc/docker", "/etc/openvswitch", "/usr/local/bin", "/usr/local/sbin", "/root/.kube")


def test_no_mount_at_a_path_the_roles_own(host):
    targets = host.check_output("findmnt --raw --noheadings --output TARGET").splitlines()
    unexpected = [t for t in targets if t not in ALLOWED and not t.startswith(ALLOWED_UNDER)]
    assert not unexpected, "mounts that could hide a role's missing directory: {}".format(unexpected)


def test_owned_paths_do_not_exist_before_the_roles_run(host):
    present = [path for path in OWNED if path not in ("/usr/local/bin", "/usr/local/sbin") and host.file(path).exists]
    assert not present, "the lab image or container pre-creates {}".format(present)
