# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json

import pytest

from ansible_collections.k8s_classic.cluster.plugins.module_utils.ovs import (
    Vsctl,
    as_set,
    decode_datum,
    decode_table,
    ovs_bool,
    ovs_key,
    ovs_value,
)

# `ovs-vsctl --format=json --columns=_uuid,name,type,options,error,ofport list Interface` of two tunnels.
INTERFACES = json.dumps({
    'headings': ['_uuid', 'name', 'type', 'options', 'error', 'ofport'],
    'data': [
        [['uuid', '7e0c5c2f-5b7a-4a36-9a43-2b6f0ffbbd12'], 'gre-node2', 'gre',
         ['map', [['key', '42'], ['remote_ip', '192.168.10.22']]], ['set', []], 3],
        [['uuid', '0b3f8a4e-8a55-4d52-b1b8-41e3f1e2c0a7'], 'gre-node3', 'gre',
         ['map', []], 'could not add network device gre-node3', ['set', [4, 5]]],
    ],
})


@pytest.mark.parametrize('value, decoded', [
    ('gre', 'gre'),
    (3, 3),
    (True, True),
    (['map', [['remote_ip', '192.168.10.22'], ['key', '42']]], {'remote_ip': '192.168.10.22', 'key': '42'}),
    (['map', []], {}),
    (['set', []], []),
    (['set', [1, 2]], [1, 2]),
    (['uuid', '7e0c5c2f-5b7a-4a36-9a43-2b6f0ffbbd12'], '7e0c5c2f-5b7a-4a36-9a43-2b6f0ffbbd12'),
    (['named-uuid', 'row0'], 'row0'),
    (['set', [['uuid', 'a'], ['uuid', 'b']]], ['a', 'b']),
])
def test_decode_datum(value, decoded):
    assert decode_datum(value) == decoded


def test_decode_table_gives_rows_keyed_by_column():
    assert decode_table(INTERFACES) == [
        {'_uuid': '7e0c5c2f-5b7a-4a36-9a43-2b6f0ffbbd12', 'name': 'gre-node2', 'type': 'gre',
         'options': {'key': '42', 'remote_ip': '192.168.10.22'}, 'error': [], 'ofport': 3},
        {'_uuid': '0b3f8a4e-8a55-4d52-b1b8-41e3f1e2c0a7', 'name': 'gre-node3', 'type': 'gre',
         'options': {}, 'error': 'could not add network device gre-node3', 'ofport': [4, 5]},
    ]


def test_decode_table_of_no_rows():
    assert decode_table('{"data":[],"headings":["name","protected"]}') == []


def test_ovs_bool():
    assert (ovs_bool(True), ovs_bool(False)) == ('true', 'false')


class FakeModule(object):
    def __init__(self, stdout=''):
        self.stdout = stdout
        self.calls = []

    def get_bin_path(self, name, required=False):
        assert required
        return '/usr/bin/' + name

    def run_command(self, args, **kwargs):
        self.calls.append(args)
        return 0, self.stdout, ''


def test_transaction_joins_subcommands_with_double_dashes():
    vsctl = Vsctl(FakeModule(), timeout=5)
    assert vsctl.transaction([['del-port', 'br-old', 'gre0'], ['add-port', 'obr0', 'gre0']]) == [
        '/usr/bin/ovs-vsctl', '--timeout=5', 'del-port', 'br-old', 'gre0', '--', 'add-port', 'obr0', 'gre0']


def test_find_row_asks_for_the_name_quoted_and_the_columns():
    module = FakeModule(stdout='{"data":[["gre0",true]],"headings":["name","protected"]}')
    assert Vsctl(module, timeout=7).find_row('Port', 'gre0', ['name', 'protected']) == dict(name='gre0', protected=True)
    assert module.calls == [['/usr/bin/ovs-vsctl', '--timeout=7', '--format=json', '--columns=name,protected',
                             'find', 'Port', 'name="gre0"']]


def test_find_row_of_no_such_row():
    module = FakeModule(stdout='{"data":[],"headings":["name","protected"]}')
    assert Vsctl(module, timeout=5).find_row('Port', 'gre9', ['name', 'protected']) is None


@pytest.mark.parametrize('value, listed', [('a', ['a']), (['a', 'b'], ['a', 'b']), ([], [])])
def test_as_set_lists_a_set_of_one_written_alone(value, listed):
    assert as_set(value) == listed


@pytest.mark.parametrize('key, written', [
    ('remote_ip', 'remote_ip'),
    ('k8s.io/peer', 'k8s.io/peer'),
    ('a:b', '"a:b"'),
    ('a=b', '"a=b"'),
    ('a b', '"a b"'),
    ('a,b', '"a,b"'),
    ('"q', '"\\"q"'),
    ('', '""'),
])
def test_ovs_key_quotes_what_would_end_a_token(key, written):
    assert ovs_key(key) == written


@pytest.mark.parametrize('value, written', [
    ('192.168.10.22', '192.168.10.22'),
    ('a b:c=d', 'a b:c=d'),
    ('', '""'),
    ('"x', '"\\"x"'),
    ('x"', 'x"'),
])
def test_ovs_value_quotes_only_empty_and_leading_quote(value, written):
    assert ovs_value(value) == written


class TimingOut(FakeModule):
    def __init__(self, rc):
        FakeModule.__init__(self)
        self.rc = rc

    def run_command(self, args, **kwargs):
        return self.rc, '', ''

    def fail_json(self, **result):
        raise AssertionError(result)


@pytest.mark.parametrize('rc, timed_out', [(-14, True), (142, True), (1, False), (0, False)])
def test_timed_out_knows_sigalrm(rc, timed_out):
    assert Vsctl(FakeModule(), timeout=5).timed_out(rc) is timed_out


def test_run_says_when_ovs_vsctl_timed_out():
    with pytest.raises(AssertionError) as failed:
        Vsctl(TimingOut(-14), timeout=3).run(['show'])
    assert failed.value.args[0]['msg'] == (
        '/usr/bin/ovs-vsctl --timeout=3 show failed (rc=-14): ovs-vsctl timed out after 3 seconds (ovsdb-server or '
        'ovs-vswitchd did not answer in time; are they running, and is the database socket right?)')


def test_run_passes_other_failures_on():
    with pytest.raises(AssertionError) as failed:
        Vsctl(TimingOut(1), timeout=3).run(['show'])
    assert failed.value.args[0]['msg'] == '/usr/bin/ovs-vsctl --timeout=3 show failed (rc=1): no output'


def test_database_is_given_to_every_call():
    vsctl = Vsctl(FakeModule(), timeout=5, database='unix:/run/openvswitch/db.sock')
    assert vsctl.transaction([['show']]) == ['/usr/bin/ovs-vsctl', '--timeout=5', '--db=unix:/run/openvswitch/db.sock',
                                             'show']
