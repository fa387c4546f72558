"""A dry run of site.yml on the converged cluster fails nowhere and would change nothing."""
import os
import re
import subprocess

from conftest import INVENTORY

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def test_check_diff_on_converged_cluster_changes_nothing():
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_FORCE_COLOR="0", ANSIBLE_STDOUT_CALLBACK="default")
    argv = [os.path.join(REPO, ".venv", "bin", "ansible-playbook"), "-i", INVENTORY,
            os.path.join(REPO, "site.yml"), "--check", "--diff"]
    result = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=900, check=False)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    recap = re.findall(r"^(\S+)\s+:\s+ok=\d+\s+changed=(\d+)", result.stdout.split("PLAY RECAP")[-1], re.M)
    assert recap, result.stdout[-2000:]
    assert all(changed == "0" for _, changed in recap), recap
