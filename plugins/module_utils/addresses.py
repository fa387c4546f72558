# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""IP addresses and networks given to the modules, checked and written the way
the kernel, iproute2 and Open vSwitch print them (IPv6 compressed by inet_ntop,
networks without host bits).

Only the standard library's socket module is used, so the modules run unchanged on
Python 2.7 (the default interpreter of EL 7, which has no ipaddress module) and on
Python 3: nothing needs to be installed on the managed host."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import binascii
import re
import socket

from ansible.module_utils.common.text.converters import to_native, to_text

FAMILIES = {4: socket.AF_INET, 6: socket.AF_INET6}
BITS = {4: 32, 6: 128}
PREFIX_LENGTH = re.compile(r'^[0-9]{1,3}$')


class Address(object):
    """An IPv4 or IPv6 address: its version, its value as a number, and str() as inet_ntop writes it."""

    def __init__(self, version, value):
        self.version = version
        self.value = value

    def __str__(self):
        packed = binascii.unhexlify('%0*x' % (BITS[self.version] // 4, self.value))
        return to_native(socket.inet_ntop(FAMILIES[self.version], packed))

    def __eq__(self, other):
        return isinstance(other, Address) and (self.version, self.value) == (other.version, other.value)

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((self.version, self.value))


class Network(object):
    """An IPv4 or IPv6 network: its first address and its prefix length; str() is 'address/prefixlen'."""

    def __init__(self, address, prefixlen):
        self.network_address = address
        self.prefixlen = prefixlen
        self.version = address.version

    def __str__(self):
        return '%s/%d' % (self.network_address, self.prefixlen)


def parse_address(text):
    """An IPv4 or IPv6 address (inet_pton's strict forms: dotted quad without leading zeros,
    or IPv6 with an optional dotted tail); ValueError, naming text, when it is not one."""
    native = to_native(to_text(text, errors='surrogate_or_strict'), errors='surrogate_or_strict')
    for version in (4, 6):
        if version == 4 and ':' in native:
            continue
        try:
            packed = socket.inet_pton(FAMILIES[version], native)
        except (socket.error, ValueError, UnicodeError):
            continue
        return Address(version, int(binascii.hexlify(packed), 16))
    raise ValueError('%r does not appear to be an IPv4 or IPv6 address' % to_text(text))


def parse_network(text):
    """The network a CIDR lies in ('10.244.1.5/16' is 10.244.0.0/16; an address alone is a
    /32 or /128); ValueError, naming text, when text is not a CIDR."""
    address_text, slash, prefix_text = to_text(text).partition('/')
    address = parse_address(address_text)
    bits = BITS[address.version]
    if not slash:
        return Network(address, bits)
    if not PREFIX_LENGTH.match(prefix_text) or int(prefix_text) > bits:
        raise ValueError('%r has no valid prefix length (0 to %d)' % (to_text(text), bits))
    prefixlen = int(prefix_text)
    host_bits = (1 << (bits - prefixlen)) - 1
    return Network(Address(address.version, address.value & ~host_bits), prefixlen)


def checked_address(module, name):
    """The address given as the module option name, written as ip and Open vSwitch print it,
    and its IP version; (None, None) when the option is not set. Fails the module when it is no address."""
    text = module.params[name]
    if text is None:
        return None, None
    try:
        address = parse_address(text)
    except ValueError as error:
        module.fail_json(msg='%s must be an IPv4 or IPv6 address: %s' % (name, error))
    return str(address), address.version
