"""The collection's modules against the real thing on a lab node: Open vSwitch 3.1 (userspace
datapath) and the kernel's routing tables. These are the cases that the unit tests' fakes cannot
prove (issue 10): what ovs-vswitchd refuses, what the kernel stores, what ip lists.

Everything here happens on scratch objects that the tests create and remove: the OVS bridges
mtest0 and mtest1, the Linux bridge mtbr0 and routing tables 4242 and 4243. obr0, br-phy, kbr0 and the
main table's routes are never touched.

The modules run as Ansible runs a module (its arguments as JSON in, its result as JSON out), from
this checkout's files copied to the node with the ansible.module_utils they import: one command on
the node per run instead of one ansible process each. test_through_ansible runs them through Ansible itself
(host.ansible), as the role does in converge and idempotence."""
import json
import os
import tarfile

import ansible
import pytest
import testinfra
import testinfra.utils.ansible_runner
from testinfra.modules.ansible import AnsibleException

INVENTORY = os.environ["MOLECULE_INVENTORY_FILE"]
NODE = sorted(testinfra.utils.ansible_runner.AnsibleRunner(INVENTORY).get_hosts("nodes"))[0]
CHECKOUT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
GRE_PORT = "k8s_classic.cluster.ovs_gre_port"
IP_ROUTE = "k8s_classic.cluster.ip_route"
TABLE, OTHER_TABLE = "4242", "4243"
REMOTE = "/root/k8s-classic-module-tests"


def module_files():
    """(path on the node under REMOTE, path here) of the modules, their module_utils, and ansible's."""
    ansible_dir = os.path.dirname(ansible.__file__)
    trees = [(os.path.join(CHECKOUT, "plugins", sub), "ansible_collections/k8s_classic/cluster/plugins/" + sub)
             for sub in ("modules", "module_utils")]
    trees += [(os.path.join(ansible_dir, sub), "ansible/" + sub) for sub in ("module_utils", "_vendor")]
    files = [("ansible/" + name, os.path.join(ansible_dir, name)) for name in ("__init__.py", "release.py")]
    for local_root, remote_root in trees:
        for directory, _dirs, names in os.walk(local_root):
            for name in names:
                if name.endswith(".py"):
                    local = os.path.join(directory, name)
                    files.append((remote_root + "/" + os.path.relpath(local, local_root), local))
    return files


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    """The node, with this checkout's modules copied to REMOTE (removed afterwards). The copy goes
    through Ansible, so that it works over any connection (docker here, ssh to the VMs)."""
    archive = tmp_path_factory.mktemp("modules") / "modules.tar.gz"
    with tarfile.open(str(archive), mode="w:gz") as tar:
        for remote, local in module_files():
            tar.add(local, arcname=remote)
    host = testinfra.get_host("ansible://" + NODE, ansible_inventory=INVENTORY)
    host.run("rm -rf %s", REMOTE)
    host.check_output("mkdir -p %s", REMOTE)
    host.ansible("ansible.builtin.copy", json.dumps(dict(src=str(archive), dest=REMOTE + "/modules.tar.gz")),
                 check=False)
    host.check_output("tar -xzf %s/modules.tar.gz -C %s", REMOTE, REMOTE)
    yield host
    host.run("rm -rf %s", REMOTE)


def run(node, module, check=False, diff=False, **args):
    """The result of the module run on the node, failed or not (a failed one has failed: true)."""
    name = module.rsplit(".", 1)[1]
    payload = json.dumps({"ANSIBLE_MODULE_ARGS": dict(args, _ansible_check_mode=check, _ansible_diff=diff)})
    out = node.run("PYTHONPATH=%s python3 %s/ansible_collections/k8s_classic/cluster/plugins/modules/%s.py %s",
                   REMOTE, REMOTE, name, payload)
    assert out.stdout.strip().startswith("{"), out
    result = json.loads(out.stdout)
    assert bool(result.get("failed")) == (out.rc != 0), out
    return result


def run_through_ansible(node, module, check=False, **args):
    """The result of the module run by Ansible (ad hoc), the collection found through ansible.cfg."""
    try:
        return node.ansible(module, json.dumps(args), check=check)
    except AnsibleException as error:
        return error.result


def sh(node, command, *args):
    return node.check_output(command, *args)


@pytest.fixture
def ovs(node):
    """Scratch bridges mtest0 and mtest1 (userspace datapath), removed afterwards with all their ports."""
    for bridge in ("mtest0", "mtest1"):
        sh(node, "ovs-vsctl --may-exist add-br %s -- set Bridge %s datapath_type=netdev", bridge, bridge)
    yield node
    for bridge in ("mtest0", "mtest1"):
        node.run("ovs-vsctl --if-exists del-br %s", bridge)


def tunnel(port, remote_ip="192.0.2.50", bridge="mtest0", **args):
    return dict(args, bridge=bridge, port=port, remote_ip=remote_ip)


def column(node, table, record, name):
    return sh(node, "ovs-vsctl get %s %s %s", table, record, name)


# --- ovs_gre_port -------------------------------------------------------------------------------

def test_tunnel_is_added_and_then_left_alone(ovs):
    first = run(ovs, GRE_PORT, **tunnel("mt-a"))
    assert first["changed"] is True and not first.get("failed"), first
    assert int(column(ovs, "Interface", "mt-a", "ofport")) > 0
    again = run(ovs, GRE_PORT, **tunnel("mt-a"))
    assert again["changed"] is False and not again.get("failed"), again
    checked = run(ovs, GRE_PORT, check=True, diff=True, **tunnel("mt-a"))
    assert checked["changed"] is False and checked["diff"]["before"] == checked["diff"]["after"]


def test_item1_tunnel_that_ovs_vswitchd_rejects_fails_on_every_run(ovs):
    """A second tunnel to the same address: ovs-vsctl succeeds, ovs-vswitchd sets error and ofport -1."""
    assert not run(ovs, GRE_PORT, **tunnel("mt-a")).get("failed")
    first = run(ovs, GRE_PORT, **tunnel("mt-b"))
    assert first.get("failed") and first["changed"] is True, first
    assert "could not set up interface mt-b: could not add network device mt-b" in first["msg"]
    assert column(ovs, "Interface", "mt-b", "ofport") == "-1"
    for check in (False, True):
        later = run(ovs, GRE_PORT, check=check, **tunnel("mt-b"))
        assert later.get("failed") and later["changed"] is False, later
        assert "could not set up interface mt-b" in later["msg"]
    # the role's way out when a peer is renamed: the old tunnel goes first, then the new one works
    assert run(ovs, GRE_PORT, bridge="mtest0", port="mt-a", state="absent")["changed"] is True
    sh(ovs, "ovs-vsctl del-port mtest0 mt-b")
    healed = run(ovs, GRE_PORT, **tunnel("mt-b"))
    assert healed["changed"] is True and not healed.get("failed"), healed


def test_item2_key_is_strict_numeric_and_written_in_decimal(ovs):
    sh(ovs, "ovs-vsctl add-port mtest0 mt-k -- set Interface mt-k type=gre options:remote_ip=192.0.2.51 "
            "options:key=0x2A -- set Port mt-k protected=true")
    same = run(ovs, GRE_PORT, key="42", **tunnel("mt-k", "192.0.2.51"))
    assert same["changed"] is False and not same.get("failed"), same
    for bad in ("1_000", " 42", "+5", "4294967296"):
        refused = run(ovs, GRE_PORT, key=bad, **tunnel("mt-k", "192.0.2.51"))
        assert refused.get("failed") and "key must be 'flow', or a number" in refused["msg"], (bad, refused)
    assert column(ovs, "Interface", "mt-k", "options:key") == '"0x2A"'
    octal_looking = run(ovs, GRE_PORT, key="043", **tunnel("mt-k", "192.0.2.51"))
    assert octal_looking["changed"] is True and not octal_looking.get("failed"), octal_looking
    assert column(ovs, "Interface", "mt-k", "options:key") == '"43"'


def test_item3_port_of_another_type_is_refused_unless_forced(ovs):
    sh(ovs, "ovs-vsctl add-port mtest0 mt-int tag=10 -- set Interface mt-int type=internal")
    for check in (True, False):
        refused = run(ovs, GRE_PORT, check=check, **tunnel("mt-int"))
        assert refused.get("failed") and "is an interface of type internal, not a GRE tunnel" in refused["msg"]
    assert column(ovs, "Interface", "mt-int", "type") == "internal"
    assert column(ovs, "Port", "mt-int", "tag") == "10"
    forced = run(ovs, GRE_PORT, force=True, **tunnel("mt-int"))
    assert forced["changed"] is True and not forced.get("failed"), forced
    assert column(ovs, "Interface", "mt-int", "type") == "gre"
    assert column(ovs, "Port", "mt-int", "tag") == "[]"


def test_item3_bond_and_bond_member_are_refused_in_check_mode_as_for_real(ovs):
    sh(ovs, "ovs-vsctl add-bond mtest0 mt-bond mt-b1 mt-b2 -- set Interface mt-b1 type=internal "
            "-- set Interface mt-b2 type=internal")
    for check in (True, False):
        bond = run(ovs, GRE_PORT, check=check, **tunnel("mt-bond"))
        assert bond.get("failed") and "is a bond of 2 interfaces" in bond["msg"], bond
        member = run(ovs, GRE_PORT, check=check, force=True, **tunnel("mt-b1"))
        assert member.get("failed") and "mt-b1 is an interface of port mt-bond (a bond)" in member["msg"], member
    assert column(ovs, "Interface", "mt-b1", "type") == "internal"


def test_item4_values_empty_or_starting_with_a_quote_are_stored_as_given(ovs):
    ids = {"empty": "", "quoted": '"x', "a:b": "c d"}
    first = run(ovs, GRE_PORT, external_ids=ids, options={"ttl": 64, "csum": True}, **tunnel("mt-q"))
    assert first["changed"] is True and not first.get("failed"), first
    stored = json.loads(sh(ovs, "ovs-vsctl --format=json --columns=external_ids list Port mt-q"))
    assert dict(stored["data"][0][0][1]) == ids
    again = run(ovs, GRE_PORT, external_ids=ids, options={"ttl": 64, "csum": True}, **tunnel("mt-q"))
    assert again["changed"] is False and not again.get("failed"), again
    none = run(ovs, GRE_PORT, options={"ttl": None}, **tunnel("mt-q"))
    assert none.get("failed") and none["msg"].startswith("options.ttl has no value")


def test_item5_local_port_of_a_bridge_is_refused_clearly(ovs):
    for args in (tunnel("mtest0"), dict(bridge="mtest0", port="mtest0", state="absent"), tunnel("mtest1")):
        result = run(ovs, GRE_PORT, **args)
        assert result.get("failed") and "is the local port of bridge" in result["msg"], (args, result)
    assert column(ovs, "Interface", "mtest0", "type") == "internal"
    assert column(ovs, "Interface", "mtest1", "type") == "internal"


def test_item6_timeout_zero_is_refused(ovs):
    result = run(ovs, GRE_PORT, timeout=0, **tunnel("mt-t"))
    assert result.get("failed") and result["msg"].startswith("timeout must be at least 1 second, not 0")
    assert ovs.run("ovs-vsctl port-to-br mt-t").rc != 0


def test_item6_timeout_after_the_database_committed_is_reported_as_a_change(ovs):
    """ovs-vswitchd stopped (SIGSTOP): ovs-vsctl commits, then waits for it until its timeout."""
    pid = sh(ovs, "cat /run/openvswitch/ovs-vswitchd.pid")
    sh(ovs, "kill -STOP %s", pid)
    try:
        result = run(ovs, GRE_PORT, timeout=2, **tunnel("mt-t"))
    finally:
        sh(ovs, "kill -CONT %s", pid)
    assert result.get("failed") and result["changed"] is True, result
    assert "timed out after 2 seconds" in result["msg"] and "the database took the change" in result["msg"]
    settled = run(ovs, GRE_PORT, **tunnel("mt-t"))
    assert settled["changed"] is False and not settled.get("failed"), settled


def test_item7_database_socket_and_external_ids(ovs):
    socket = "/run/openvswitch/db.sock"
    first = run(ovs, GRE_PORT, database_socket=socket, external_ids={"owner": "test", "gone": "x"},
                **tunnel("mt-db"))
    assert first["changed"] is True and "--db=unix:%s" % socket in first["commands"][0], first
    sh(ovs, "ovs-vsctl set Port mt-db external_ids:other=kept")
    second = run(ovs, GRE_PORT, database_socket="unix:" + socket, external_ids={"gone": None, "owner": "test"},
                 diff=True, **tunnel("mt-db"))
    assert second["changed"] is True, second
    assert second["diff"]["after"]["external_ids"] == {"owner": "test", "other": "kept"}
    assert column(ovs, "Port", "mt-db", "external_ids") == '{other=kept, owner=test}'
    wrong = run(ovs, GRE_PORT, database_socket="/run/openvswitch/none.sock", **tunnel("mt-db"))
    assert wrong.get("failed") and "database connection failed" in wrong["msg"], wrong


def test_absent_removes_the_tunnel(ovs):
    assert not run(ovs, GRE_PORT, **tunnel("mt-a")).get("failed")
    assert run(ovs, GRE_PORT, bridge="mtest0", port="mt-a", state="absent")["changed"] is True
    assert run(ovs, GRE_PORT, bridge="mtest0", port="mt-a", state="absent")["changed"] is False


# --- ip_route -----------------------------------------------------------------------------------

@pytest.fixture
def routes(node):
    """A scratch Linux bridge mtbr0 (up, with IPv6 enabled on it alone and an address of TEST-NET-2),
    and scratch tables; deleting the bridge takes its routes with it."""
    node.run("ip link del mtbr0")
    sh(node, "ip link add mtbr0 type bridge")
    sh(node, "sysctl -qw net.ipv6.conf.mtbr0.disable_ipv6=0")
    sh(node, "ip link set mtbr0 up")
    sh(node, "ip addr add 198.51.100.1/24 dev mtbr0")
    yield node
    node.run("ip link del mtbr0")
    for table in (TABLE, OTHER_TABLE):
        node.run("ip route flush table %s", table)
        node.run("ip -6 route flush table %s", table)


def kernel_routes(node, version, dest, table):
    return json.loads(sh(node, "ip -j -%d route show table %%s exact %%s" % version, table, dest) or "[]")


def test_item8_ipv6_metric_0_is_stable(routes):
    args = dict(dest="fd00:4242::/64", dev="mtbr0", metric=0, table=TABLE)
    first = run(routes, IP_ROUTE, **args)
    assert first["changed"] is True and not first.get("failed"), first
    assert [route["metric"] for route in kernel_routes(routes, 6, "fd00:4242::/64", TABLE)] == [1024]
    for check in (False, True):
        again = run(routes, IP_ROUTE, check=check, **args)
        assert again["changed"] is False and not again.get("failed"), again
    assert len(kernel_routes(routes, 6, "fd00:4242::/64", TABLE)) == 1


@pytest.mark.parametrize("table", ["0", "all", "unspec"])
def test_item9_every_table_is_refused_and_nothing_deleted(routes, table):
    sh(routes, "ip route add 10.99.0.0/24 dev mtbr0 table %s", OTHER_TABLE)
    for state in ("absent", "present"):
        result = run(routes, IP_ROUTE, dest="10.99.0.0/24", dev="mtbr0", table=table, state=state)
        assert result.get("failed") and "names no routing table" in result["msg"], result
    assert len(kernel_routes(routes, 4, "10.99.0.0/24", OTHER_TABLE)) == 1
    assert kernel_routes(routes, 4, "10.99.0.0/24", "main") == []


def test_item10_diff_shows_only_the_route_that_changes_as_the_kernel_then_lists_it(routes):
    for metric in (5, 100, 200):
        sh(routes, "ip route add 10.98.0.0/24 dev mtbr0 metric %s table %s", str(metric), TABLE)
    result = run(routes, IP_ROUTE, diff=True, dest="10.98.0.0/24", via="198.51.100.9", dev="mtbr0", metric=100,
                 table=TABLE)
    assert result["changed"] is True and not result.get("failed"), result
    before, after = result["diff"]["before"]["routes"], result["diff"]["after"]["routes"]
    assert [i for i in range(3) if before[i] != after[i]] == [1]
    # what the diff predicted is what the kernel now lists, in its order
    now = run(routes, IP_ROUTE, check=True, diff=True, dest="10.98.0.0/24", dev="mtbr0", metric=5, table=TABLE)
    assert now["changed"] is False
    assert now["diff"]["before"]["routes"] == after


def test_routes_in_a_scratch_table_are_added_replaced_and_removed(routes):
    add = run(routes, IP_ROUTE, dest="10.97.0.0/24", via="198.51.100.9", table=TABLE)
    assert add["changed"] is True and not add.get("failed"), add
    assert run(routes, IP_ROUTE, dest="10.97.0.0/24", via="198.51.100.9", table=TABLE)["changed"] is False
    removed = run(routes, IP_ROUTE, dest="10.97.0.0/24", table=TABLE, state="absent")
    assert removed["changed"] is True and kernel_routes(routes, 4, "10.97.0.0/24", TABLE) == []


def test_through_ansible(node):
    """Both modules as Ansible runs them: a refusal, and a no-op read of a scratch table."""
    refused = run_through_ansible(node, GRE_PORT, bridge="mtest9", port="mtest9", remote_ip="192.0.2.1")
    assert refused["msg"].startswith("port mtest9 is the local port of bridge mtest9"), refused
    empty = run_through_ansible(node, IP_ROUTE, dest="10.96.0.0/24", table=TABLE, state="absent")
    assert empty["changed"] is False and empty["route"] == {} and empty["commands"] == [], empty
