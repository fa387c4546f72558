# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.k8s_classic.cluster.plugins.module_utils.iproute import (
    IpRoute,
    kernel_route,
    normalize_destination,
    parse_json_routes,
    parse_routes,
    parse_text_routes,
    route_matches,
)

# `ip -j route show` and `ip route show` (iproute2 6.1) of the same routes.
JSON_ROUTES = (
    '[{"dst":"default","gateway":"192.0.2.1","dev":"eth0","flags":[]},'
    '{"dst":"10.244.2.0/24","gateway":"10.0.0.22","dev":"eth1","protocol":"static","metric":100,"flags":["onlink"]},'
    '{"dst":"172.17.0.0/16","dev":"docker0","protocol":"kernel","scope":"link","prefsrc":"172.17.0.1",'
    '"flags":["linkdown"]}]\n'
)
TEXT_ROUTES = (
    'default via 192.0.2.1 dev eth0 \n'
    '10.244.2.0/24 via 10.0.0.22 dev eth1 proto static metric 100 onlink \n'
    '172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 linkdown \n'
)
ROUTES = [
    dict(dest='D', table='main', via='192.0.2.1', dev='eth0', metric=0, proto='boot'),
    dict(dest='D', table='main', via='10.0.0.22', dev='eth1', metric=100, proto='static'),
    dict(dest='D', table='main', dev='docker0', src='172.17.0.1', metric=0, proto='kernel'),
]


@pytest.mark.parametrize('dest, normalized', [
    ('default', ('default', None)),
    ('0.0.0.0/0', ('default', 4)),
    ('::/0', ('default', 6)),
    ('10.244.1.5/16', ('10.244.0.0/16', 4)),
    ('10.244.2.0/24', ('10.244.2.0/24', 4)),
    ('10.0.0.5', ('10.0.0.5/32', 4)),
    ('FD00:10:244:0::/56', ('fd00:10:244::/56', 6)),
])
def test_normalize_destination(dest, normalized):
    assert normalize_destination(dest) == normalized


@pytest.mark.parametrize('dest', ['pods', '10.244.0.0/40', 'Default'])
def test_normalize_destination_rejects_what_is_no_destination(dest):
    with pytest.raises(ValueError):
        normalize_destination(dest)


def test_kernel_route_fills_in_what_ip_leaves_out():
    route = kernel_route('10.0.0.0/8', 'main', dev='lo')
    assert route == dict(dest='10.0.0.0/8', table='main', dev='lo', metric=0, proto='boot')
    assert kernel_route('10.0.0.0/8', 'main', dev='lo', metric='100')['metric'] == 100


def test_parse_json_routes():
    assert parse_json_routes(JSON_ROUTES, 'D', 'main') == ROUTES


def test_parse_json_ipv6_route():
    text = '[{"dst":"default","gateway":"fd00::1","dev":"eth0","metric":1024,"flags":[],"pref":"medium"}]'
    assert parse_json_routes(text, 'default', 'main') == [
        dict(dest='default', table='main', via='fd00::1', dev='eth0', metric=1024, proto='boot')]


def test_parse_text_routes():
    assert parse_text_routes(TEXT_ROUTES, 'D', 'main') == ROUTES


def test_parse_text_routes_of_a_type_and_of_multipath():
    text = ('unreachable 10.99.0.0/16 metric 5 \n'
            '10.98.0.0/16 proto static \n'
            '\tnexthop via 10.0.0.1 dev eth0 weight 1 \n'
            '\tnexthop via 10.0.0.2 dev eth1 weight 1 \n')
    assert parse_text_routes(text, 'D', 'main') == [
        dict(dest='D', table='main', metric=5, proto='boot'),
        dict(dest='D', table='main', metric=0, proto='static'),
    ]


@pytest.mark.parametrize('text, routes', [
    (JSON_ROUTES, ROUTES),
    (TEXT_ROUTES, ROUTES),
    ('[]\n', []),
    ('', []),
])
def test_parse_routes_reads_json_or_text(text, routes):
    assert parse_routes(text, 'D', 'main') == routes


@pytest.mark.parametrize('want, matches', [
    (dict(dev='eth1'), True),
    (dict(dev='eth1', via='10.0.0.22', metric=100, proto='static', src=None), True),
    (dict(dev='eth0'), False),
    (dict(via='10.0.0.22', metric=0), False),
    (dict(dev='eth1', src='10.0.0.21'), False),
    (dict(dev='eth1', proto='boot'), False),
])
def test_route_matches_compares_the_fields_wanted(want, matches):
    assert route_matches(ROUTES[1], want) is matches


def test_route_matches_only_the_fields_given():
    assert route_matches(ROUTES[1], dict(via='10.0.0.22', metric=5), fields=('via', 'dev')) is True


class Failed(Exception):
    pass


class FakeModule(object):
    """ip answering each command with the next of answers: (rc, stdout, stderr)."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    def get_bin_path(self, name, required=False):
        assert required
        return '/sbin/' + name

    def run_command(self, args, **kwargs):
        self.calls.append(list(args))
        return self.answers.pop(0)

    def fail_json(self, **result):
        raise Failed(result)


def test_show_reads_json():
    module = FakeModule((0, JSON_ROUTES, ''))
    assert IpRoute(module, 4).show('D', 'main') == ROUTES
    assert module.calls == [['/sbin/ip', '-j', '-4', 'route', 'show', 'table', 'main', 'exact', 'D']]


def test_show_falls_back_to_text_where_ip_has_no_json():
    module = FakeModule((255, '', 'Option "-j" is unknown, try "ip -help".\n'), (0, TEXT_ROUTES, ''))
    assert IpRoute(module, 6).show('D', 'main') == ROUTES
    assert module.calls[1] == ['/sbin/ip', '-6', 'route', 'show', 'table', 'main', 'exact', 'D']


def test_show_of_a_table_that_does_not_exist_yet():
    module = FakeModule((2, '[', 'Error: ipv4: FIB table does not exist.\nDump terminated\n'))
    assert IpRoute(module, 4).show('D', '100') == []


def test_show_fails_on_other_errors():
    module = FakeModule((1, '', 'Error: argument "nope" is wrong: table id value is invalid\n'))
    with pytest.raises(Failed) as failed:
        IpRoute(module, 4).show('D', 'nope')
    assert failed.value.args[0]['msg'] == ('/sbin/ip -j -4 route show table nope exact D failed (rc=1): '
                                           'Error: argument "nope" is wrong: table id value is invalid')


def test_command_writes_the_fields_the_route_has_in_ips_order():
    route = dict(dest='default', table='main', proto='static', metric=100, dev='eth0', via='fd00::1')
    assert IpRoute(FakeModule(), 6).command('replace', route) == [
        '/sbin/ip', '-6', 'route', 'replace', 'default',
        'via', 'fd00::1', 'dev', 'eth0', 'metric', '100', 'proto', 'static', 'table', 'main']
