# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json

import pytest

from ansible_collections.k8s_classic.cluster.plugins.module_utils import addresses
from ansible_collections.k8s_classic.cluster.plugins.modules import ovs_gre_port

VSCTL = '/usr/bin/ovs-vsctl --timeout=5'
ADD_GRE_NODE2 = (VSCTL + ' --may-exist add-port obr0 gre-node2'
                 ' -- set Interface gre-node2 type=gre options:remote_ip=192.168.10.22'
                 ' -- set Port gre-node2 protected=true')


class FakeOvs(object):
    """ovs-vsctl on a host whose database has the given bridges and ports: it answers
    the module's queries, and records the changes asked of it without making them."""

    def __init__(self, bridges=('obr0', 'br-old'), ports=None, failure=None, setup_error=None, timeout=5):
        self.bridges = set(bridges)
        self.ports = ports or {}
        self.failure = failure
        self.setup_error = setup_error
        self.prefix = ['/usr/bin/ovs-vsctl', '--timeout=%d' % timeout]
        self.changes = []

    def __call__(self, args, **kwargs):
        assert args[:2] == self.prefix
        command = args[2:]
        if command[0] == 'br-exists':
            return (0 if command[1] in self.bridges else 2), '', ''
        if command[0] == 'port-to-br':
            return 0, self.ports[command[1]]['bridge'] + '\n', ''
        if command[0] == '--format=json':
            return 0, self._find(command), ''
        self.changes.append(command)
        return self.failure or (0, '', '')

    def _find(self, command):
        """Answer `--format=json --columns=A,B find TABLE name="NAME"`; the error
        column, asked for after a change, as if the change had been made."""
        columns = command[1].split('=', 1)[1].split(',')
        table, condition = command[3], command[4]
        name = json.loads(condition.split('=', 1)[1])
        if columns == ['name', 'error']:
            return json.dumps(dict(headings=columns, data=[[name, self.setup_error or ['set', []]]]))
        port = self.ports.get(name)
        rows = []
        if port and not (table == 'Interface' and port.get('bond')):
            cells = dict(name=port['name'], type=port['type'], protected=port['protected'],
                         options=['map', [[key, value] for key, value in sorted(port['options'].items())]])
            rows.append([cells[column] for column in columns])
        return json.dumps(dict(headings=columns, data=rows))


def gre_port(name='gre-node2', bridge='obr0', protected=True, port_type='gre', **options):
    """A port as FakeOvs keeps it, with remote_ip 192.168.10.22 unless options say otherwise."""
    options.setdefault('remote_ip', '192.168.10.22')
    return {name: dict(name=name, bridge=bridge, type=port_type, options=options, protected=protected)}


def present(**args):
    """Module arguments for the tunnel to node2, with args added or replaced."""
    return dict(dict(bridge='obr0', port='gre-node2', remote_ip='192.168.10.22'), **args)


def absent():
    return dict(bridge='obr0', port='gre-node2', state='absent')


def test_adds_a_missing_port_with_split_horizon(module_runner):
    ovs = FakeOvs()
    result = module_runner.exits(ovs_gre_port.main, present(), ovs)
    assert result['changed'] is True
    assert result['commands'] == [ADD_GRE_NODE2]
    assert len(ovs.changes) == 1
    assert result['port'] == dict(bridge='obr0', port='gre-node2', type='gre',
                                  options=dict(remote_ip='192.168.10.22'), protected=True)


def test_adds_key_local_ip_and_options_as_ovs_strings(module_runner):
    ovs = FakeOvs()
    args = present(key='42', local_ip='192.168.10.21', protected=False, options=dict(csum=True, ttl=64))
    result = module_runner.exits(ovs_gre_port.main, args, ovs)
    assert result['commands'] == [
        VSCTL + ' --may-exist add-port obr0 gre-node2'
        ' -- set Interface gre-node2 type=gre options:csum=true options:key=42'
        ' options:local_ip=192.168.10.21 options:remote_ip=192.168.10.22 options:ttl=64'
        ' -- set Port gre-node2 protected=false']


def test_port_as_wanted_is_left_alone(module_runner):
    ovs = FakeOvs(ports=gre_port(key='42'))
    result = module_runner.exits(ovs_gre_port.main, present(key='42'), ovs)
    assert result['changed'] is False
    assert result['commands'] == []
    assert ovs.changes == []


def test_changed_remote_ip_is_set(module_runner):
    ovs = FakeOvs(ports=gre_port(remote_ip='192.168.10.99'))
    result = module_runner.exits(ovs_gre_port.main, present(), ovs)
    assert result['changed'] is True
    assert result['commands'] == [VSCTL + ' set Interface gre-node2 options:remote_ip=192.168.10.22']


def test_key_is_added(module_runner):
    ovs = FakeOvs(ports=gre_port())
    result = module_runner.exits(ovs_gre_port.main, present(key='flow'), ovs)
    assert result['commands'] == [VSCTL + ' set Interface gre-node2 options:key=flow']


def test_key_the_task_does_not_set_is_removed(module_runner):
    ovs = FakeOvs(ports=gre_port(key='42'))
    result = module_runner.exits(ovs_gre_port.main, present(), ovs)
    assert result['commands'] == [VSCTL + ' remove Interface gre-node2 options key']


def test_protected_is_changed(module_runner):
    ovs = FakeOvs(ports=gre_port(protected=True))
    result = module_runner.exits(ovs_gre_port.main, present(protected=False), ovs)
    assert result['commands'] == [VSCTL + ' set Port gre-node2 protected=false']


def test_options_are_changed_added_and_removed_in_one_transaction(module_runner):
    ovs = FakeOvs(ports=gre_port(csum='false', tos='inherit'))
    result = module_runner.exits(ovs_gre_port.main, present(options=dict(csum=True, ttl='64')), ovs)
    assert result['commands'] == [
        VSCTL + ' set Interface gre-node2 options:csum=true options:ttl=64'
        ' -- remove Interface gre-node2 options tos']


def test_interface_type_is_changed(module_runner):
    ovs = FakeOvs(ports=gre_port(remote_ip='fd00::22'))
    result = module_runner.exits(ovs_gre_port.main, present(remote_ip='fd00::22', interface_type='ip6gre'), ovs)
    assert result['commands'] == [VSCTL + ' set Interface gre-node2 type=ip6gre']


def test_ipv6_remote_ip_is_compared_in_compressed_form(module_runner):
    ovs = FakeOvs(ports=gre_port(remote_ip='fd00::22'))
    result = module_runner.exits(ovs_gre_port.main, present(remote_ip='fd00:0:0::22'), ovs)
    assert result['changed'] is False


def test_port_on_another_bridge_is_deleted_there_then_added(module_runner):
    ovs = FakeOvs(ports=gre_port(bridge='br-old'))
    result = module_runner.exits(ovs_gre_port.main, present(), ovs)
    assert result['commands'] == [VSCTL + ' del-port br-old gre-node2', ADD_GRE_NODE2]
    assert len(ovs.changes) == 2


def test_absent_deletes_the_port(module_runner):
    ovs = FakeOvs(ports=gre_port())
    result = module_runner.exits(ovs_gre_port.main, absent(), ovs)
    assert result['changed'] is True
    assert result['commands'] == [VSCTL + ' --if-exists del-port obr0 gre-node2']
    assert result['port'] == {}
    assert len(ovs.changes) == 1


def test_absent_port_is_left_alone(module_runner):
    ovs = FakeOvs()
    result = module_runner.exits(ovs_gre_port.main, absent(), ovs)
    assert result['changed'] is False
    assert result['commands'] == []


def test_absent_leaves_a_port_of_that_name_on_another_bridge(module_runner):
    ovs = FakeOvs(ports=gre_port(bridge='br-old'))
    result = module_runner.exits(ovs_gre_port.main, absent(), ovs, diff=True)
    assert result['changed'] is False
    assert result['diff'] == dict(before={}, after={})


def test_absent_needs_no_bridge(module_runner):
    ovs = FakeOvs(bridges=())
    result = module_runner.exits(ovs_gre_port.main, absent(), ovs)
    assert result['changed'] is False


def test_check_mode_reports_the_commands_without_running_them(module_runner):
    ovs = FakeOvs(ports=gre_port(remote_ip='192.168.10.99'))
    result = module_runner.exits(ovs_gre_port.main, present(), ovs, check_mode=True)
    assert result['changed'] is True
    assert result['commands'] == [VSCTL + ' set Interface gre-node2 options:remote_ip=192.168.10.22']
    assert ovs.changes == []


def test_check_mode_absent(module_runner):
    ovs = FakeOvs(ports=gre_port())
    result = module_runner.exits(ovs_gre_port.main, absent(), ovs, check_mode=True)
    assert result['changed'] is True
    assert ovs.changes == []


def test_diff_shows_the_port_before_and_after(module_runner):
    ovs = FakeOvs(ports=gre_port(remote_ip='192.168.10.99'))
    result = module_runner.exits(ovs_gre_port.main, present(), ovs, diff=True)
    port = dict(bridge='obr0', port='gre-node2', type='gre', protected=True)
    assert result['diff'] == dict(before=dict(port, options=dict(remote_ip='192.168.10.99')),
                                  after=dict(port, options=dict(remote_ip='192.168.10.22')))


def test_diff_of_a_new_port(module_runner):
    result = module_runner.exits(ovs_gre_port.main, present(), FakeOvs(), diff=True)
    assert result['diff']['before'] == {}
    assert result['diff']['after'] == result['port']


def test_diff_of_a_deleted_port(module_runner):
    result = module_runner.exits(ovs_gre_port.main, absent(), FakeOvs(ports=gre_port()), diff=True)
    assert result['diff']['before']['options'] == dict(remote_ip='192.168.10.22')
    assert result['diff']['after'] == {}


def test_no_diff_unless_asked(module_runner):
    result = module_runner.exits(ovs_gre_port.main, present(), FakeOvs())
    assert 'diff' not in result


def test_timeout_is_passed_to_ovs_vsctl(module_runner):
    result = module_runner.exits(ovs_gre_port.main, present(timeout=30), FakeOvs(timeout=30))
    assert result['commands'][0].startswith('/usr/bin/ovs-vsctl --timeout=30 ')


def test_missing_ovs_vsctl_fails_clearly(module_runner):
    module_runner.hide_command('ovs-vsctl')
    result = module_runner.fails(ovs_gre_port.main, present(), FakeOvs())
    assert 'Failed to find required executable "ovs-vsctl"' in result['msg']


def test_missing_bridge_fails_naming_it(module_runner):
    ovs = FakeOvs(bridges=())
    result = module_runner.fails(ovs_gre_port.main, present(), ovs)
    assert result['msg'] == 'bridge obr0 does not exist; create it first'
    assert ovs.changes == []


def test_remote_ip_is_required_when_present(module_runner):
    args = present()
    del args['remote_ip']
    result = module_runner.fails(ovs_gre_port.main, args, FakeOvs())
    assert 'remote_ip' in result['msg']


@pytest.mark.parametrize('args, message', [
    (present(remote_ip='node2.example'), 'remote_ip must be an IPv4 or IPv6 address'),
    (present(remote_ip='192.168.10.300'), 'remote_ip must be an IPv4 or IPv6 address'),
    (present(local_ip='not-an-ip'), 'local_ip must be an IPv4 or IPv6 address'),
    (present(local_ip='fd00::21'), 'must both be IPv4 or both IPv6'),
    (present(interface_type='ip6gre'), 'interface_type ip6gre needs an IPv6 remote_ip'),
    (present(key='forty-two'), "key must be 'flow' or a number from 0 to 4294967295"),
    (present(key='-1'), "key must be 'flow' or a number from 0 to 4294967295"),
    (present(key='4294967296'), "key must be 'flow' or a number from 0 to 4294967295"),
    (present(options=dict(key='42', remote_ip='10.0.0.1')), 'set key, remote_ip with the option of the same name'),
])
def test_bad_arguments_fail_before_ovs_is_asked(module_runner, args, message):
    ovs = FakeOvs()
    result = module_runner.fails(ovs_gre_port.main, args, ovs)
    assert message in result['msg']
    assert ovs.changes == []


def test_hex_key_is_accepted(module_runner):
    result = module_runner.exits(ovs_gre_port.main, present(key='0xffffffff'), FakeOvs())
    assert result['port']['options']['key'] == '0xffffffff'


def test_failing_change_reports_command_rc_and_stderr(module_runner):
    ovs = FakeOvs(failure=(1, '', 'ovs-vsctl: no bridge named obr0\n'))
    result = module_runner.fails(ovs_gre_port.main, present(), ovs)
    assert result['msg'] == ADD_GRE_NODE2 + ' failed (rc=1): ovs-vsctl: no bridge named obr0'
    assert result['rc'] == 1
    assert result['cmd'] == ADD_GRE_NODE2
    assert result['stderr'] == 'ovs-vsctl: no bridge named obr0\n'


def test_interface_that_ovs_vswitchd_cannot_set_up_fails_the_module(module_runner):
    ovs = FakeOvs(setup_error='could not add network device gre-node2 to ofproto (File exists)')
    result = module_runner.fails(ovs_gre_port.main, present(), ovs)
    assert result['msg'] == ('ovs-vswitchd could not set up interface gre-node2: '
                             'could not add network device gre-node2 to ofproto (File exists)')
    assert result['changed'] is True
    assert result['commands'] == [ADD_GRE_NODE2]


def test_failing_query_fails_the_module(module_runner):
    def unreachable_database(args, **kwargs):
        return 1, '', 'ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed\n'
    result = module_runner.fails(ovs_gre_port.main, present(), unreachable_database)
    assert result['msg'].endswith('failed (rc=1): ovs-vsctl: unix:/var/run/openvswitch/db.sock: '
                                  'database connection failed')


def test_port_without_interface_of_its_name_is_refused(module_runner):
    ports = gre_port()
    ports['gre-node2']['bond'] = True
    result = module_runner.fails(ovs_gre_port.main, present(), FakeOvs(ports=ports))
    assert 'port gre-node2 has no interface of its own name' in result['msg']


def test_missing_ipaddress_module_fails_saying_what_to_install(module_runner, monkeypatch):
    monkeypatch.setattr(addresses, 'IPADDRESS_IMPORT_ERROR', 'Traceback: No module named ipaddress')
    result = module_runner.fails(ovs_gre_port.main, present(), FakeOvs())
    assert 'Failed to import the required Python library (ipaddress)' in result['msg']
