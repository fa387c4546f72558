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
    decode_datum,
    decode_table,
    ovs_bool,
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
