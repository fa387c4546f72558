# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import sys

import pytest

from ansible.module_utils.six.moves import reload_module

from ansible_collections.k8s_classic.cluster.plugins.module_utils import addresses


class Failed(Exception):
    pass


class FakeModule(object):
    def __init__(self, **params):
        self.params = params

    def fail_json(self, **result):
        raise Failed(result)


@pytest.mark.parametrize('text, written, version', [
    ('192.168.10.22', '192.168.10.22', 4),
    ('fd00:0:0::22', 'fd00::22', 6),
    ('FD00::A', 'fd00::a', 6),
])
def test_parse_address(text, written, version):
    address = addresses.parse_address(text)
    assert (str(address), address.version) == (written, version)


@pytest.mark.parametrize('text', ['node2', '192.168.10.300', '10.0.0.0/8', ''])
def test_parse_address_rejects_what_is_no_address(text):
    with pytest.raises(ValueError):
        addresses.parse_address(text)


@pytest.mark.parametrize('text, written', [
    ('10.244.1.5/16', '10.244.0.0/16'),
    ('10.244.1.5', '10.244.1.5/32'),
    ('fd00:10:244:1::5/56', 'fd00:10:244::/56'),
])
def test_parse_network_drops_host_bits(text, written):
    assert str(addresses.parse_network(text)) == written


@pytest.mark.parametrize('text', ['pods', '10.244.0.0/33', 'fd00::/129'])
def test_parse_network_rejects_what_is_no_network(text):
    with pytest.raises(ValueError):
        addresses.parse_network(text)


@pytest.mark.parametrize('given, checked', [
    (None, (None, None)),
    ('192.168.10.22', ('192.168.10.22', 4)),
    ('FD00:0::22', ('fd00::22', 6)),
])
def test_checked_address(given, checked):
    assert addresses.checked_address(FakeModule(remote_ip=given), 'remote_ip') == checked


def test_checked_address_fails_naming_the_option():
    with pytest.raises(Failed) as failed:
        addresses.checked_address(FakeModule(via='gateway'), 'via')
    assert failed.value.args[0]['msg'].startswith('via must be an IPv4 or IPv6 address: ')


def test_no_ipaddress_module_is_needed(monkeypatch):
    """Python 2.7 (EL 7) has no ipaddress module: the modules must not need one."""
    monkeypatch.setitem(sys.modules, 'ipaddress', None)
    try:
        reload_module(addresses)
        assert str(addresses.parse_network('fd00:10:244:1::5/56')) == 'fd00:10:244::/56'
        assert str(addresses.parse_address('192.168.10.22')) == '192.168.10.22'
    finally:
        monkeypatch.undo()
        reload_module(addresses)


@pytest.mark.parametrize('text, written', [
    ('::ffff:192.0.2.1', '::ffff:192.0.2.1'),
    ('fd00:0:0:0:0:0:0:1', 'fd00::1'),
    ('fd00:0:1:0:0:0:0:1', 'fd00:0:1::1'),
    ('::', '::'),
    ('0.0.0.0', '0.0.0.0'),
])
def test_addresses_are_written_as_ip_prints_them(text, written):
    assert str(addresses.parse_address(text)) == written


@pytest.mark.parametrize('text', ['010.0.0.1', '10.0.0', '10.0.0.1.', ' 10.0.0.1', 'fd00::1::2', 'fd00::g', u'10.0.0.\u0661'])
def test_parse_address_is_strict(text):
    with pytest.raises(ValueError) as error:
        addresses.parse_address(text)
    assert 'does not appear to be an IPv4 or IPv6 address' in str(error.value)


@pytest.mark.parametrize('text', ['10.0.0.0/', '10.0.0.0/+8', '10.0.0.0/ 8', '10.0.0.0/0x8', '10.0.0.0/8/8', '::/1290'])
def test_parse_network_rejects_bad_prefix_lengths(text):
    with pytest.raises(ValueError):
        addresses.parse_network(text)


def test_addresses_compare_by_version_and_value():
    assert addresses.parse_address('fd00::1') == addresses.parse_address('FD00:0::1')
    assert addresses.parse_address('0.0.0.1') != addresses.parse_address('::1')
    assert len(set([addresses.parse_address('::1'), addresses.parse_address('0::1')])) == 1
