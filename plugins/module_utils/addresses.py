# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""IP addresses and networks given to the modules, checked and written the way
the kernel and Open vSwitch print them (IPv6 compressed, networks without host bits).

Python 2.7 (still the default interpreter of EL 7) has no ipaddress module of its
own; there it comes from the python2-ipaddress package."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import traceback

from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.common.text.converters import to_text

try:
    import ipaddress
except ImportError:
    IPADDRESS_IMPORT_ERROR = traceback.format_exc()
else:
    IPADDRESS_IMPORT_ERROR = None


def require_ipaddress(module):
    """Fail the module, saying what to install, when Python has no ipaddress module."""
    if IPADDRESS_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib('ipaddress'), exception=IPADDRESS_IMPORT_ERROR)


def parse_address(text):
    """An IPv4 or IPv6 address; ValueError when text is not one."""
    return ipaddress.ip_address(to_text(text))


def parse_network(text):
    """The network a CIDR lies in ('10.244.1.5/16' is 10.244.0.0/16); ValueError when text is not a CIDR."""
    return ipaddress.ip_network(to_text(text), strict=False)


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
