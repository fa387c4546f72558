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


def test_require_ipaddress_passes_when_python_has_it():
    addresses.require_ipaddress(FakeModule())


def test_require_ipaddress_says_what_to_install(monkeypatch):
    monkeypatch.setattr(addresses, 'IPADDRESS_IMPORT_ERROR', 'Traceback: No module named ipaddress')
    with pytest.raises(Failed) as failed:
        addresses.require_ipaddress(FakeModule())
    assert 'Failed to import the required Python library (ipaddress)' in failed.value.args[0]['msg']
    assert failed.value.args[0]['exception'] == 'Traceback: No module named ipaddress'


def test_missing_ipaddress_module_is_remembered_not_raised(monkeypatch):
    monkeypatch.setitem(sys.modules, 'ipaddress', None)
    try:
        reload_module(addresses)
        assert 'ipaddress' in addresses.IPADDRESS_IMPORT_ERROR
    finally:
        monkeypatch.undo()
        reload_module(addresses)
    assert addresses.IPADDRESS_IMPORT_ERROR is None
