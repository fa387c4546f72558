# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json

import pytest

from ansible_collections.k8s_classic.cluster.plugins.modules import ovs_gre_port

VSCTL = '/usr/bin/ovs-vsctl --timeout=5'
ADD_GRE_NODE2 = (VSCTL + ' --may-exist add-port obr0 gre-node2'
                 ' -- set Interface gre-node2 type=gre options:remote_ip=192.168.10.22'
                 ' -- set Port gre-node2 protected=true')


class FakeOvs(object):
    """ovs-vsctl on a host whose database has the given bridges and ports: it answers
    the module's queries as ovs-vsctl 3.1 does, and records the changes asked of it without
    making them (or, with committed, as if the database had taken them: the ports become committed).

    Every bridge has its local port, of the bridge's name. A port's interfaces are its own name
    unless it says otherwise (a bond)."""

    def __init__(self, bridges=('obr0', 'br-old'), ports=None, failure=None, setup_error=None, setup_ofport=3,
                 timeout=5, database=None, committed=None):
        self.bridges = set(bridges)
        self.ports = dict(ports or {})
        for bridge in self.bridges:
            self.ports.setdefault(bridge, dict(name=bridge, bridge=bridge, type='internal', options={},
                                               protected=False, external_ids={}))
        self.failure = failure
        self.setup_error = setup_error
        self.setup_ofport = setup_ofport
        self.committed = committed
        self.prefix = ['/usr/bin/ovs-vsctl', '--timeout=%d' % timeout] + (['--db=' + database] if database else [])
        self.changes = []
        self.queries = []

    def __call__(self, args, **kwargs):
        assert args[:len(self.prefix)] == self.prefix
        command = args[len(self.prefix):]
        if command[0] == 'br-exists':
            self.queries.append(command)
            return (0 if command[1] in self.bridges else 2), '', ''
        if command[0] == 'port-to-br':
            self.queries.append(command)
            return 0, self.ports[command[1]]['bridge'] + '\n', ''
        if command[0] == '--format=json':
            self.queries.append(command)
            return 0, self._find(command), ''
        self.changes.append(command)
        if self.committed is not None:
            self.ports = self.committed
        return self.failure or (0, '', '')

    def _interfaces(self):
        """Every interface: (port, interface name)."""
        return [(port, name) for port in self.ports.values() for name in port.get('interfaces', [port['name']])]

    def _find(self, command):
        """Answer `--format=json --columns=A,B find TABLE name="NAME"` (or interfaces{>=}UUID);
        the error and ofport columns, asked for after a change, as if the change had been made."""
        columns = command[1].split('=', 1)[1].split(',')
        table, condition = command[3], command[4]
        rows = []
        if condition.startswith('interfaces{>=}'):
            uuid = condition.split('}', 1)[1]
            rows = [dict(name=port['name']) for port, name in self._interfaces() if 'uuid-' + name == uuid]
        elif table == 'Port':
            name = json.loads(condition.split('=', 1)[1])
            port = self.ports.get(name)
            if port:
                uuids = [['uuid', 'uuid-' + member] for member in port.get('interfaces', [name])]
                rows.append(dict(name=name, protected=port['protected'],
                                 interfaces=uuids[0] if len(uuids) == 1 else ['set', uuids],
                                 external_ids=ovs_map(port.get('external_ids', {}))))
        else:
            name = json.loads(condition.split('=', 1)[1])
            for port, member in self._interfaces():
                if member == name:
                    own = member == port['name']
                    rows.append(dict(_uuid=['uuid', 'uuid-' + member], name=member,
                                     type=port['type'] if own else 'system',
                                     options=ovs_map(port['options'] if own else {}),
                                     error=port.get('error', ['set', []]), ofport=port.get('ofport', 3)))
            if not rows and columns == ['name', 'error', 'ofport'] and self.changes:
                rows.append(dict(name=name, error=self.setup_error or ['set', []], ofport=self.setup_ofport))
            elif rows and columns == ['name', 'error', 'ofport'] and self.changes and self.setup_error:
                rows[0].update(error=self.setup_error, ofport=-1)
        return json.dumps(dict(headings=columns, data=[[row[column] for column in columns] for row in rows]))


def ovs_map(values):
    return ['map', [[key, value] for key, value in sorted(values.items())]]


def gre_port(name='gre-node2', bridge='obr0', protected=True, port_type='gre', external_ids=None, **options):
    """A port as FakeOvs keeps it, with remote_ip 192.168.10.22 unless options say otherwise."""
    options.setdefault('remote_ip', '192.168.10.22')
    return {name: dict(name=name, bridge=bridge, type=port_type, options=options, protected=protected,
                       external_ids=external_ids or {})}


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
                                  options=dict(remote_ip='192.168.10.22'), protected=True, external_ids={})


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
    port = dict(bridge='obr0', port='gre-node2', type='gre', protected=True, external_ids={})
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
    (present(key='forty-two'), "key must be 'flow', or a number from 0 to 4294967295"),
    (present(key='-1'), "key must be 'flow', or a number from 0 to 4294967295"),
    (present(key='4294967296'), "key must be 'flow', or a number from 0 to 4294967295"),
    (present(key='0x100000000'), "key must be 'flow', or a number from 0 to 4294967295"),
    (present(key='1_000'), "not '1_000'"),
    (present(key=' 42'), "not ' 42'"),
    (present(key='42 '), "not '42 '"),
    (present(key='+5'), "not '+5'"),
    (present(key='0x'), "not '0x'"),
    (present(key='0o17'), "not '0o17'"),
    (present(key='４２'), "key must be 'flow'"),
    (present(options=dict(ttl=None)), 'options.ttl has no value (null)'),
    (present(options=dict(ttl=[64])), 'options.ttl must be a string, number or boolean'),
    (present(options={'': 'x'}), "options has an empty key: ''"),
    (present(external_ids=dict(owner=dict(a=1))), 'external_ids.owner must be a string, number or boolean'),
    (present(timeout=0), 'timeout must be at least 1 second, not 0'),
    (present(timeout=-5), 'timeout must be at least 1 second, not -5'),
    (present(database_socket='db.sock'), "database_socket must be a path or unix:PATH"),
    (present(port='obr0'), 'port obr0 is the local port of bridge obr0'),
    (dict(absent(), port='obr0'), 'port obr0 is the local port of bridge obr0'),
    (present(options=dict(key='42', remote_ip='10.0.0.1')), 'set key, remote_ip with the option of the same name'),
])
def test_bad_arguments_fail_before_ovs_is_asked(module_runner, args, message):
    ovs = FakeOvs()
    result = module_runner.fails(ovs_gre_port.main, args, ovs)
    assert message in result['msg']
    assert ovs.changes == []
    assert ovs.queries == []


@pytest.mark.parametrize('key, written', [
    ('0xffffffff', '4294967295'),
    ('0X2a', '42'),
    ('042', '42'),
    ('0', '0'),
    ('flow', 'flow'),
])
def test_key_is_written_in_decimal(module_runner, key, written):
    result = module_runner.exits(ovs_gre_port.main, present(key=key), FakeOvs())
    assert result['port']['options']['key'] == written
    assert 'options:key=%s ' % written in result['commands'][0]


@pytest.mark.parametrize('stored, key', [('0x2A', '42'), ('42', '0x2a'), ('052', '42'), ('42', '042')])
def test_key_that_ovs_reads_as_the_same_number_is_no_change(module_runner, stored, key):
    """ovs-vswitchd reads options:key with strtoull(base 0): 0x2A and 052 (octal) are 42."""
    ovs = FakeOvs(ports=gre_port(key=stored))
    result = module_runner.exits(ovs_gre_port.main, present(key=key), ovs, diff=True)
    assert result['changed'] is False
    assert result['diff']['before'] == result['diff']['after']


@pytest.mark.parametrize('stored', ['1_000', ' 42', '+42', '0x'])
def test_key_that_ovs_reads_as_another_number_is_rewritten(module_runner, stored):
    ovs = FakeOvs(ports=gre_port(key=stored))
    result = module_runner.exits(ovs_gre_port.main, present(key='1000'), ovs)
    assert result['commands'] == [VSCTL + ' set Interface gre-node2 options:key=1000']


@pytest.mark.parametrize('text, number', [
    ('42', 42), ('0x2A', 42), ('052', 42), (' 42', 42), ('+42', 42), ('1_000', 1), ('0x', 0), ('', 0),
    ('-1', 2 ** 64 - 1), ('08', 0), ('flow', 'flow'),
])
def test_ovs_gre_key_reads_like_strtoull_base_0(text, number):
    assert ovs_gre_port.ovs_gre_key(text) == number


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


# issue 10 item 1: a tunnel that ovs-vswitchd rejected is reported on every run, not only after a change.
@pytest.mark.parametrize('broken', [
    dict(error='could not add network device gre-node2 to ofproto (File exists)', ofport=-1),
    dict(ofport=-1),
])
def test_unchanged_tunnel_that_ovs_vswitchd_rejected_fails_every_run(module_runner, broken):
    ports = gre_port()
    ports['gre-node2'].update(broken)
    ovs = FakeOvs(ports=ports)
    result = module_runner.fails(ovs_gre_port.main, present(), ovs)
    assert result['msg'].startswith('ovs-vswitchd could not set up interface gre-node2: ')
    assert broken.get('error', 'ofport -1') in result['msg']
    assert result['changed'] is False
    assert ovs.changes == []


def test_unchanged_rejected_tunnel_fails_in_check_mode_too(module_runner):
    ports = gre_port()
    ports['gre-node2'].update(error='could not add network device gre-node2 to ofproto (File exists)', ofport=-1)
    result = module_runner.fails(ovs_gre_port.main, present(), FakeOvs(ports=ports), check_mode=True)
    assert 'could not set up interface gre-node2' in result['msg']


def test_check_mode_with_changes_does_not_judge_the_interface(module_runner):
    ports = gre_port(remote_ip='192.168.10.99')
    ports['gre-node2'].update(error='could not add network device gre-node2 to ofproto (File exists)', ofport=-1)
    result = module_runner.exits(ovs_gre_port.main, present(), FakeOvs(ports=ports), check_mode=True)
    assert result['changed'] is True


def test_interface_left_with_ofport_minus_one_after_a_change_fails(module_runner):
    ovs = FakeOvs(setup_ofport=-1)
    result = module_runner.fails(ovs_gre_port.main, present(), ovs)
    assert 'it has no OpenFlow port (ofport -1)' in result['msg']
    assert result['changed'] is True


# issue 10 item 3: a port of another type is not silently turned into a tunnel.

@pytest.mark.parametrize('port_type, described', [
    ('internal', 'an interface of type internal'),
    ('', 'an interface of type system (a network device of the host)'),
    ('vxlan', 'an interface of type vxlan'),
])
def test_port_of_another_type_is_refused(module_runner, port_type, described, ):
    ovs = FakeOvs(ports=gre_port(port_type=port_type))
    for check_mode in (True, False):
        result = module_runner.fails(ovs_gre_port.main, present(), ovs, check_mode=check_mode)
        assert result['msg'] == ('port gre-node2 on bridge obr0 is %s, not a GRE tunnel; set force: true to delete '
                                 'it and add the tunnel in its place (its VLAN tag, trunks and other settings go '
                                 'with it)' % described)
    assert ovs.changes == []


def test_force_replaces_a_port_of_another_type(module_runner):
    ovs = FakeOvs(ports=gre_port(port_type='internal', external_ids=dict(owner='someone')))
    result = module_runner.exits(ovs_gre_port.main, present(force=True), ovs, diff=True)
    assert result['commands'] == [VSCTL + ' del-port obr0 gre-node2', ADD_GRE_NODE2]
    assert result['diff']['before']['type'] == 'internal'
    assert result['port']['external_ids'] == {}


def test_bond_port_is_refused_in_check_mode_as_in_a_real_run(module_runner):
    ports = gre_port()
    ports['gre-node2']['interfaces'] = ['eth1', 'eth2']
    ovs = FakeOvs(ports=ports)
    for check_mode in (True, False):
        result = module_runner.fails(ovs_gre_port.main, present(), ovs, check_mode=check_mode)
        assert result['msg'].startswith('port gre-node2 on bridge obr0 is a bond of 2 interfaces, not a GRE tunnel')


def test_bond_whose_member_has_the_port_name_is_still_a_bond(module_runner):
    ports = gre_port()
    ports['gre-node2']['interfaces'] = ['gre-node2', 'eth2']
    result = module_runner.fails(ovs_gre_port.main, present(), FakeOvs(ports=ports))
    assert 'is a bond of 2 interfaces' in result['msg']


def test_force_replaces_a_bond(module_runner):
    ports = gre_port()
    ports['gre-node2']['interfaces'] = ['eth1', 'eth2']
    result = module_runner.exits(ovs_gre_port.main, present(force=True), FakeOvs(ports=ports))
    assert result['commands'] == [VSCTL + ' del-port obr0 gre-node2', ADD_GRE_NODE2]


def test_bond_member_of_that_name_is_refused_even_with_force(module_runner):
    ports = gre_port(name='bond0', port_type='')
    ports['bond0']['interfaces'] = ['gre-node2', 'eth2']
    ovs = FakeOvs(ports=ports)
    result = module_runner.fails(ovs_gre_port.main, present(force=True), ovs)
    assert result['msg'].startswith('gre-node2 is an interface of port bond0 (a bond), not a port of its own')
    assert ovs.changes == []


# issue 10 item 4: option values that are none, empty, or start with a quote.

def test_empty_and_quoted_option_values_are_written_quoted(module_runner):
    ovs = FakeOvs()
    result = module_runner.exits(ovs_gre_port.main, present(options=dict(egress_pkt_mark='', tos='"inherit')), ovs)
    assert result['commands'] == [
        VSCTL + ' --may-exist add-port obr0 gre-node2'
        ' -- set Interface gre-node2 type=gre \'options:egress_pkt_mark=""\' options:remote_ip=192.168.10.22'
        ' \'options:tos="\\"inherit"\''
        ' -- set Port gre-node2 protected=true']
    assert ovs.changes[0][9] == 'options:egress_pkt_mark=""'
    assert ovs.changes[0][11] == 'options:tos="\\"inherit"'


def test_option_value_starting_with_a_quote_is_idempotent(module_runner):
    ovs = FakeOvs(ports=gre_port(tos='"inherit', egress_pkt_mark=''))
    result = module_runner.exits(ovs_gre_port.main, present(options=dict(egress_pkt_mark='', tos='"inherit')), ovs)
    assert result['changed'] is False


def test_numbers_and_booleans_are_written_as_ovs_strings(module_runner):
    ovs = FakeOvs(ports=gre_port(ttl='64', csum='true'))
    result = module_runner.exits(ovs_gre_port.main, present(options=dict(ttl=64, csum=True)), ovs)
    assert result['changed'] is False


def test_option_key_with_a_delimiter_is_quoted_in_remove(module_runner):
    ovs = FakeOvs(ports=gre_port(**{'odd:key': 'x'}))
    result = module_runner.exits(ovs_gre_port.main, present(), ovs)
    assert ovs.changes == [['remove', 'Interface', 'gre-node2', 'options', '"odd:key"']]
    assert result['changed'] is True


# issue 10 item 5: the bridge's own local port.

def test_local_port_of_another_bridge_is_refused(module_runner):
    ovs = FakeOvs(bridges=('obr0', 'br-phy'))
    result = module_runner.fails(ovs_gre_port.main, present(port='br-phy'), ovs)
    assert result['msg'].startswith('port br-phy is the local port of bridge br-phy')
    assert ovs.changes == []


def test_absent_leaves_the_local_port_of_another_bridge_alone(module_runner):
    ovs = FakeOvs(bridges=('obr0', 'br-phy'))
    result = module_runner.exits(ovs_gre_port.main, dict(absent(), port='br-phy'), ovs)
    assert result['changed'] is False


# issue 10 item 6: ovs-vsctl timing out.

def test_timeout_after_the_database_took_the_change_is_reported_as_a_change(module_runner):
    committed = gre_port()
    ovs = FakeOvs(failure=(-14, '', ''), committed=committed)
    result = module_runner.fails(ovs_gre_port.main, present(), ovs)
    assert result['changed'] is True
    assert result['msg'] == (ADD_GRE_NODE2 + ' failed (rc=-14): ovs-vsctl timed out after 5 seconds (ovsdb-server or '
                             'ovs-vswitchd did not answer in time; are they running, and is the database socket '
                             'right?); the database took the change, but ovs-vswitchd did not confirm it: the tunnel '
                             'may not be working yet')


def test_timeout_before_the_database_took_the_change(module_runner):
    ovs = FakeOvs(failure=(-14, '', ''))
    result = module_runner.fails(ovs_gre_port.main, present(), ovs)
    assert result['changed'] is False
    assert result['msg'].endswith('; the database did not take the change')


def test_timeout_of_absent_after_the_database_took_the_change(module_runner):
    ovs = FakeOvs(ports=gre_port(), failure=(142, '', ''), committed={})
    result = module_runner.fails(ovs_gre_port.main, absent(), ovs)
    assert result['changed'] is True


def test_timeout_in_the_second_of_two_commands_is_a_change(module_runner):
    ovs = FakeOvs(ports=gre_port(bridge='br-old'), failure=(-14, '', ''))
    result = module_runner.fails(ovs_gre_port.main, present(), ovs)
    assert result['changed'] is False  # the first command failed: nothing changed
    assert result['cmd'] == VSCTL + ' del-port br-old gre-node2'


def test_timeout_of_a_query_says_so(module_runner):
    def stuck(args, **kwargs):
        return -14, '', ''
    result = module_runner.fails(ovs_gre_port.main, present(timeout=2), stuck)
    assert result['msg'] == ('/usr/bin/ovs-vsctl --timeout=2 br-exists obr0 failed (rc=-14): ovs-vsctl timed out '
                             'after 2 seconds (ovsdb-server or ovs-vswitchd did not answer in time; are they running, '
                             'and is the database socket right?)')


# issue 10 item 7: database socket and external_ids.

@pytest.mark.parametrize('socket, database', [
    ('/run/openvswitch/db.sock', 'unix:/run/openvswitch/db.sock'),
    ('unix:/var/run/openvswitch/db.sock', 'unix:/var/run/openvswitch/db.sock'),
    ('tcp:127.0.0.1:6640', 'tcp:127.0.0.1:6640'),
])
def test_database_socket_is_passed_to_every_ovs_vsctl_call(module_runner, socket, database):
    ovs = FakeOvs(database=database)
    result = module_runner.exits(ovs_gre_port.main, present(database_socket=socket), ovs)
    assert result['commands'][0].startswith('/usr/bin/ovs-vsctl --timeout=5 --db=%s ' % database)
    assert ovs.queries


def test_external_ids_of_a_new_port(module_runner):
    ovs = FakeOvs()
    result = module_runner.exits(ovs_gre_port.main, present(external_ids={'k8s-peer': 'node2', 'a:b': 1}), ovs)
    assert result['commands'] == [
        VSCTL + ' --may-exist add-port obr0 gre-node2'
        ' -- set Interface gre-node2 type=gre options:remote_ip=192.168.10.22'
        ' -- set Port gre-node2 protected=true \'external_ids:"a:b"=1\' external_ids:k8s-peer=node2']
    assert result['port']['external_ids'] == {'k8s-peer': 'node2', 'a:b': '1'}


def test_external_ids_are_set_removed_when_null_and_others_kept(module_runner):
    ovs = FakeOvs(ports=gre_port(external_ids=dict(owner='ovn', stale='x', same='1')))
    args = present(protected=False, external_ids=dict(stale=None, same=1, peer='node2', absent_anyway=None))
    result = module_runner.exits(ovs_gre_port.main, args, ovs, diff=True)
    assert result['commands'] == [
        VSCTL + ' set Port gre-node2 protected=false external_ids:peer=node2'
        ' -- remove Port gre-node2 external_ids stale']
    assert result['diff']['before']['external_ids'] == dict(owner='ovn', stale='x', same='1')
    assert result['diff']['after']['external_ids'] == dict(owner='ovn', same='1', peer='node2')


def test_external_ids_as_wanted_are_no_change(module_runner):
    ovs = FakeOvs(ports=gre_port(external_ids=dict(owner='ovn', peer='node2')))
    result = module_runner.exits(ovs_gre_port.main, present(external_ids=dict(peer='node2')), ovs)
    assert result['changed'] is False
