"""The original notes' guestbook (examples/guestbook): deployed by its playbook, then a
message written through one node's NodePort 30001 is read back through another node's,
served from a redis slave. Runs when K8S_TEST_GUESTBOOK=yes (the lab's default scenario,
whose registry holds the guestbook's image), since it deploys a workload.
"""
import os
import time
import urllib.parse
import urllib.request
import uuid

import pytest

from conftest import INVENTORY, NODES, address
from helpers import REPO, recap, run_playbook

PORT = 30001
pytestmark = pytest.mark.skipif(os.environ.get("K8S_TEST_GUESTBOOK", "no") != "yes",
                                reason="K8S_TEST_GUESTBOOK is not yes")


def _get(node, query):
    url = "http://{}:{}/cgi-bin/guestbook?{}".format(address(node), PORT, urllib.parse.urlencode(query))
    with urllib.request.urlopen(url, timeout=20) as response:
        return response.read().decode()


@pytest.fixture(scope="module")
def guestbook():
    result = run_playbook(os.path.join(REPO, "examples/guestbook/deploy.yml"), INVENTORY)
    assert result.returncode == 0, result.stdout[-3000:]
    return result


def test_guestbook_deploys_and_a_second_run_changes_nothing(guestbook):
    again = run_playbook(os.path.join(REPO, "examples/guestbook/deploy.yml"), INVENTORY)
    assert again.returncode == 0, again.stdout[-3000:]
    assert all(counts["changed"] == 0 for counts in recap(again).values()), recap(again)


def test_write_on_one_node_read_on_another_from_a_slave(guestbook):
    assert len(NODES) >= 2
    writer, reader = NODES[0], NODES[-1]
    message = "signed-" + uuid.uuid4().hex[:12]
    written = _get(writer, {"cmd": "set", "value": message})
    assert "written to the master" in written, written
    deadline = time.time() + 60
    read = ""
    while time.time() < deadline:
        read = _get(reader, {"cmd": "get"})
        if message in read.split():
            break
        time.sleep(2)
    assert message in read.split(), read
    assert read.startswith("read from a redis slave"), read
