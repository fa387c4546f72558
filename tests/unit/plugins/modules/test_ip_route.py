# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json

import pytest

from ansible_collections.k8s_classic.cluster.plugins.modules import ip_route

IP4 = '/usr/bin/ip -4 route'
IP6 = '/usr/bin/ip -6 route'
TEXT_KEYWORDS = (('gateway', 'via'), ('dev', 'dev'), ('protocol', 'proto'), ('prefsrc', 'src'), ('metric', 'metric'))


class FakeIp(object):
    """ip on a host with the given routes: it answers `ip [-j] -4|-6 route show table T exact D`,
    and records the changes asked of it without making them.

    routes maps (version, table, dest) to the routes as `ip -j` prints them; ip prints the
    same routes as text when json is False, and rejects -j like iproute2 before 4.13."""

    def __init__(self, routes=None, json_output=True, failure=None):
        self.routes = routes or {}
        self.tables = set(['main'] + [table for _version, table, _dest in self.routes])
        self.json_output = json_output
        self.failure = failure
        self.changes = []
        self.queries = []

    def __call__(self, args, **kwargs):
        assert args[0] == '/usr/bin/ip'
        if 'show' not in args:
            self.changes.append(args)
            return self.failure or (0, '', '')
        self.queries.append(args)
        if '-j' in args and not self.json_output:
            return 255, '', 'Option "-j" is unknown, try "ip -help".\n'
        version = 6 if '-6' in args else 4
        table, dest = args[args.index('table') + 1], args[args.index('exact') + 1]
        if table not in self.tables:
            return 2, '[' if '-j' in args else '', 'Error: ipv%d: FIB table does not exist.\nDump terminated\n' % version
        routes = self.routes.get((version, table, dest), [])
        if '-j' in args:
            return 0, json.dumps(routes), ''
        return 0, ''.join(as_text(route) for route in routes), ''


def as_text(route):
    """A route of `ip -j route show` as `ip route show` prints it."""
    words = [route['dst']]
    for key, keyword in TEXT_KEYWORDS:
        if key in route:
            words += [keyword, str(route[key])]
    return ' '.join(words) + ' \n'


def kernel(dst='10.244.2.0/24', **fields):
    """A route as `ip -j route show` prints it: dev kbr0 unless fields say otherwise."""
    fields.setdefault('dev', 'kbr0')
    return dict(fields, dst=dst, flags=[])


def pod_routes(*routes):
    return {(4, 'main', '10.244.2.0/24'): list(routes)}


def present(**args):
    return dict(dict(dest='10.244.2.0/24', dev='kbr0'), **args)


def test_adds_a_missing_route(module_runner):
    ip = FakeIp()
    result = module_runner.exits(ip_route.main, present(), ip)
    assert result['changed'] is True
    assert result['commands'] == [IP4 + ' replace 10.244.2.0/24 dev kbr0 metric 0 table main']
    assert len(ip.changes) == 1
    assert result['route'] == dict(dest='10.244.2.0/24', table='main', dev='kbr0', metric=0, proto='boot')


def test_route_as_wanted_is_left_alone_and_returned_as_the_kernel_has_it(module_runner):
    ip = FakeIp(pod_routes(kernel(protocol='static', prefsrc='10.244.1.1')))
    result = module_runner.exits(ip_route.main, present(), ip)
    assert result['changed'] is False
    assert result['commands'] == []
    assert ip.changes == []
    assert result['route'] == dict(dest='10.244.2.0/24', table='main', dev='kbr0', src='10.244.1.1',
                                   metric=0, proto='static')


def test_changed_gateway_replaces_the_route_keeping_its_metric(module_runner):
    ip = FakeIp(pod_routes(kernel(gateway='10.0.0.1', dev='eth0', metric=100)))
    result = module_runner.exits(ip_route.main, present(dev=None, via='10.0.0.2'), ip)
    assert result['commands'] == [IP4 + ' replace 10.244.2.0/24 via 10.0.0.2 metric 100 table main']


def test_changed_metric_adds_the_new_route_then_deletes_the_old(module_runner):
    ip = FakeIp(pod_routes(kernel(metric=100)))
    result = module_runner.exits(ip_route.main, present(metric=50), ip)
    assert result['commands'] == [
        IP4 + ' replace 10.244.2.0/24 dev kbr0 metric 50 table main',
        IP4 + ' del 10.244.2.0/24 dev kbr0 metric 100 proto boot table main',
    ]
    assert len(ip.changes) == 2


def test_route_with_that_metric_is_the_one_compared(module_runner):
    ip = FakeIp(pod_routes(kernel(dev='eth0'), kernel(metric=50)))
    result = module_runner.exits(ip_route.main, present(metric=50), ip)
    assert result['changed'] is False


def test_route_of_another_path_and_metric_is_left_alone(module_runner):
    ip = FakeIp(pod_routes(kernel(gateway='10.0.0.1', dev='eth0', metric=100)))
    result = module_runner.exits(ip_route.main, present(metric=200), ip, diff=True)
    assert result['commands'] == [IP4 + ' replace 10.244.2.0/24 dev kbr0 metric 200 table main']
    assert len(result['diff']['after']['routes']) == 2


def test_changed_src_and_proto_replace_the_route(module_runner):
    ip = FakeIp(pod_routes(kernel()))
    result = module_runner.exits(ip_route.main, present(src='10.244.1.1', proto='static'), ip)
    assert result['commands'] == [IP4 + ' replace 10.244.2.0/24 dev kbr0 src 10.244.1.1 metric 0 proto static table main']


def test_absent_deletes_the_route(module_runner):
    ip = FakeIp(pod_routes(kernel()))
    result = module_runner.exits(ip_route.main, dict(dest='10.244.2.0/24', state='absent'), ip)
    assert result['changed'] is True
    assert result['commands'] == [IP4 + ' del 10.244.2.0/24 dev kbr0 metric 0 proto boot table main']
    assert result['route'] == {}
    assert len(ip.changes) == 1


def test_absent_deletes_every_route_to_dest(module_runner):
    ip = FakeIp(pod_routes(kernel(), kernel(dev='eth0', metric=100)))
    result = module_runner.exits(ip_route.main, dict(dest='10.244.2.0/24', state='absent'), ip)
    assert len(result['commands']) == 2


def test_absent_deletes_only_the_route_with_the_metric_given(module_runner):
    ip = FakeIp(pod_routes(kernel(), kernel(dev='eth0', metric=100)))
    result = module_runner.exits(ip_route.main, dict(dest='10.244.2.0/24', metric=100, state='absent'), ip)
    assert result['commands'] == [IP4 + ' del 10.244.2.0/24 dev eth0 metric 100 proto boot table main']


def test_absent_route_is_left_alone(module_runner):
    ip = FakeIp()
    result = module_runner.exits(ip_route.main, dict(dest='10.244.2.0/24', state='absent'), ip)
    assert result['changed'] is False
    assert result['commands'] == []


def test_ipv6_route_with_the_kernels_default_metric(module_runner):
    ip = FakeIp()
    result = module_runner.exits(ip_route.main, dict(dest='fd00:10:244:200::/56', dev='kbr0'), ip)
    assert result['commands'] == [IP6 + ' replace fd00:10:244:200::/56 dev kbr0 metric 1024 table main']


def test_ipv6_route_as_wanted(module_runner):
    ip = FakeIp({(6, 'main', 'fd00:10:244::/56'): [kernel('fd00:10:244::/56', metric=1024, pref='medium')]})
    result = module_runner.exits(ip_route.main, dict(dest='fd00:10:244:0::/56', dev='kbr0'), ip)
    assert result['changed'] is False


def test_ipv6_default_route_is_recognised_by_its_gateway(module_runner):
    ip = FakeIp()
    result = module_runner.exits(ip_route.main, dict(dest='default', via='fd00::1'), ip)
    assert result['commands'] == [IP6 + ' replace default via fd00::1 metric 1024 table main']


@pytest.mark.parametrize('dest', ['default', '0.0.0.0/0'])
def test_ipv4_default_route(module_runner, dest):
    ip = FakeIp({(4, 'main', 'default'): [kernel('default', gateway='192.0.2.1', dev='eth0')]})
    result = module_runner.exits(ip_route.main, dict(dest=dest, via='192.0.2.254'), ip)
    assert result['commands'] == [IP4 + ' replace default via 192.0.2.254 metric 0 table main']


def test_dest_is_normalized_to_its_network(module_runner):
    ip = FakeIp({(4, 'main', '10.244.0.0/16'): [kernel('10.244.0.0/16')]})
    result = module_runner.exits(ip_route.main, present(dest='10.244.1.5/16'), ip)
    assert result['changed'] is False
    assert result['route']['dest'] == '10.244.0.0/16'


def test_route_in_a_table_that_does_not_exist_yet(module_runner):
    ip = FakeIp()
    result = module_runner.exits(ip_route.main, present(table='100'), ip)
    assert result['commands'] == [IP4 + ' replace 10.244.2.0/24 dev kbr0 metric 0 table 100']


def test_route_in_a_table_as_wanted(module_runner):
    ip = FakeIp({(4, 'k8s', '10.244.2.0/24'): [kernel()]})
    result = module_runner.exits(ip_route.main, present(table='k8s'), ip)
    assert result['changed'] is False
    assert result['route']['table'] == 'k8s'


def test_routes_are_read_from_text_where_ip_has_no_json(module_runner):
    ip = FakeIp(pod_routes(kernel(gateway='10.0.0.1', dev='eth0', protocol='static', metric=100)), json_output=False)
    result = module_runner.exits(ip_route.main, present(dev='eth0', via='10.0.0.1', proto='static', metric=100), ip)
    assert result['changed'] is False


def test_check_mode_reports_the_commands_without_running_them(module_runner):
    ip = FakeIp(pod_routes(kernel(metric=100)))
    result = module_runner.exits(ip_route.main, present(metric=50), ip, check_mode=True)
    assert result['changed'] is True
    assert len(result['commands']) == 2
    assert ip.changes == []


def test_diff_shows_the_routes_to_dest_before_and_after(module_runner):
    ip = FakeIp(pod_routes(kernel(dev='eth0')))
    result = module_runner.exits(ip_route.main, present(), ip, diff=True)
    route = dict(dest='10.244.2.0/24', table='main', metric=0, proto='boot')
    assert result['diff'] == dict(before=dict(routes=[dict(route, dev='eth0')]),
                                  after=dict(routes=[dict(route, dev='kbr0')]))


def test_diff_of_absent(module_runner):
    ip = FakeIp(pod_routes(kernel()))
    result = module_runner.exits(ip_route.main, dict(dest='10.244.2.0/24', state='absent'), ip, diff=True)
    assert len(result['diff']['before']['routes']) == 1
    assert result['diff']['after'] == dict(routes=[])


def test_no_diff_unless_asked(module_runner):
    result = module_runner.exits(ip_route.main, present(), FakeIp())
    assert 'diff' not in result


def test_failing_ip_reports_command_rc_and_stderr(module_runner):
    ip = FakeIp(failure=(2, '', 'Cannot find device "kbr0"\n'))
    result = module_runner.fails(ip_route.main, present(), ip)
    command = IP4 + ' replace 10.244.2.0/24 dev kbr0 metric 0 table main'
    assert result['msg'] == command + ' failed (rc=2): Cannot find device "kbr0"'
    assert result['rc'] == 2
    assert result['cmd'] == command
    assert result['stderr'] == 'Cannot find device "kbr0"\n'


def test_failing_query_fails_the_module(module_runner):
    def broken_ip(args, **kwargs):
        return 1, '', 'Error: invalid table ID\n'
    result = module_runner.fails(ip_route.main, present(table='nope'), broken_ip)
    assert result['msg'] == ('/usr/bin/ip -j -4 route show table nope exact 10.244.2.0/24 failed (rc=1): '
                             'Error: invalid table ID')


def test_missing_ip_fails_clearly(module_runner):
    module_runner.hide_command('ip')
    result = module_runner.fails(ip_route.main, present(), FakeIp())
    assert 'Failed to find required executable "ip"' in result['msg']


@pytest.mark.parametrize('args, message', [
    (present(dest='10.244.2.0'), None),
    (present(dest='pods'), "dest must be a network in CIDR notation or 'default'"),
    (present(dest='10.244.2.0/33'), "dest must be a network in CIDR notation or 'default'"),
    (present(via='gateway'), 'via must be an IPv4 or IPv6 address'),
    (present(src='10.244.1.256'), 'src must be an IPv4 or IPv6 address'),
    (present(via='fd00::1'), 'dest, via and src must all be IPv4 or all IPv6'),
    (dict(dest='default', via='192.0.2.1', src='fd00::2'), 'dest, via and src must all be IPv4 or all IPv6'),
    (dict(dest='10.244.2.0/24'), 'state is present but any of the following are missing: dev, via'),
])
def test_bad_arguments_fail_before_routes_are_changed(module_runner, args, message):
    ip = FakeIp()
    if message is None:
        module_runner.exits(ip_route.main, args, ip)
        return
    result = module_runner.fails(ip_route.main, args, ip)
    assert message in result['msg']
    assert ip.changes == []


# issue 10 item 8: IPv6 metric 0 is the kernel's 1024.

def test_ipv6_metric_0_is_the_1024_the_kernel_stores(module_runner):
    ip = FakeIp({(6, 'main', 'fd00:10:244::/56'): [kernel('fd00:10:244::/56', metric=1024, pref='medium')]})
    result = module_runner.exits(ip_route.main, dict(dest='fd00:10:244::/56', dev='kbr0', metric=0), ip)
    assert result['changed'] is False
    assert ip.changes == []


def test_new_ipv6_route_with_metric_0_is_added_with_1024(module_runner):
    ip = FakeIp()
    result = module_runner.exits(ip_route.main, dict(dest='fd00:10:244::/56', dev='kbr0', metric=0), ip)
    assert result['commands'] == [IP6 + ' replace fd00:10:244::/56 dev kbr0 metric 1024 table main']
    assert result['route']['metric'] == 1024


def test_ipv6_absent_with_metric_0_deletes_the_route_of_1024(module_runner):
    ip = FakeIp({(6, 'main', 'fd00:10:244::/56'): [kernel('fd00:10:244::/56', metric=1024)]})
    result = module_runner.exits(ip_route.main, dict(dest='fd00:10:244::/56', metric=0, state='absent'), ip)
    assert result['commands'] == [IP6 + ' del fd00:10:244::/56 dev kbr0 metric 1024 proto boot table main']


def test_ipv4_metric_0_stays_0(module_runner):
    ip = FakeIp(pod_routes(kernel()))
    result = module_runner.exits(ip_route.main, present(metric=0), ip)
    assert result['changed'] is False


@pytest.mark.parametrize('metric', [-1, 4294967296])
def test_metric_out_of_range_is_refused(module_runner, metric):
    ip = FakeIp()
    result = module_runner.fails(ip_route.main, present(metric=metric), ip)
    assert result['msg'] == 'metric must be a number from 0 to 4294967295, not %d' % metric


# issue 10 item 9: tables that ip reads as every table.

@pytest.mark.parametrize('table', ['0', '00', '0x0', 'all', 'unspec', 'ALL', ''])
def test_every_table_is_refused(module_runner, table):
    ip = FakeIp({(4, 'main', '10.244.2.0/24'): [kernel()]})
    for state in ('present', 'absent'):
        result = module_runner.fails(ip_route.main, present(table=table, state=state), ip)
        assert result['msg'].startswith('table %r names no routing table: ip reads 0, all and unspec as every table'
                                        % table)
    assert ip.changes == []
    assert ip.queries == []


@pytest.mark.parametrize('table', ['local', '255', '0x64', 'default'])
def test_other_tables_are_taken(module_runner, table):
    result = module_runner.exits(ip_route.main, present(table=table), FakeIp())
    assert result['commands'][0].endswith(' table %s' % table)


# issue 10 item 10: the diff shows only the routes that change, in the kernel's order.

def test_diff_keeps_the_kernels_order_and_changes_only_the_replaced_route(module_runner):
    ip = FakeIp(pod_routes(kernel(dev='eth0', metric=5), kernel(gateway='10.0.0.1', dev='eth1', metric=100),
                           kernel(dev='eth2', metric=200)))
    result = module_runner.exits(ip_route.main, dict(dest='10.244.2.0/24', via='10.0.0.9', metric=100), ip, diff=True)
    before, after = result['diff']['before']['routes'], result['diff']['after']['routes']
    assert [route['metric'] for route in after] == [5, 100, 200]
    assert before[0] == after[0] and before[2] == after[2]
    assert after[1] == dict(dest='10.244.2.0/24', table='main', via='10.0.0.9', metric=100, proto='boot')


def test_diff_of_a_replaced_route_differs_only_in_what_changed(module_runner):
    ip = FakeIp(pod_routes(kernel(dev='eth0')))
    result = module_runner.exits(ip_route.main, present(), ip, diff=True)
    before, after = result['diff']['before']['routes'][0], result['diff']['after']['routes'][0]
    assert [key for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)] == ['dev']


def test_diff_of_a_changed_metric_shows_the_route_in_place(module_runner):
    ip = FakeIp(pod_routes(kernel(dev='eth0', metric=5), kernel(metric=100)))
    result = module_runner.exits(ip_route.main, present(metric=50), ip, diff=True)
    assert result['diff']['before']['routes'][0] == result['diff']['after']['routes'][0]
    assert result['diff']['after']['routes'][1]['metric'] == 50
    assert len(result['diff']['after']['routes']) == 2


def test_diff_without_change_is_empty(module_runner):
    ip = FakeIp(pod_routes(kernel(dev='eth0', metric=5), kernel(metric=100, protocol='static')))
    result = module_runner.exits(ip_route.main, present(metric=100), ip, diff=True)
    assert result['diff']['before'] == result['diff']['after']
