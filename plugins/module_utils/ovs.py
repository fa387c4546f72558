# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Open vSwitch through ovs-vsctl: reading rows of its database as JSON and
building the command lines of one transaction."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json

from ansible_collections.k8s_classic.cluster.plugins.module_utils.command import run


def decode_datum(value):
    """An OVSDB JSON value as plain Python.

    Strings, numbers and booleans are themselves; everything else is a pair [kind, payload]:
    ["map", [[k, v], ...]] becomes a dict, ["set", [...]] a list (an empty set is how an
    optional column says "no value"), and ["uuid", "..."] or ["named-uuid", "..."] the string."""
    if not isinstance(value, list):
        return value
    kind, payload = value
    if kind == 'map':
        return dict((decode_datum(key), decode_datum(item)) for key, item in payload)
    if kind == 'set':
        return [decode_datum(item) for item in payload]
    return payload


def decode_table(text):
    """The rows of `ovs-vsctl --format=json` output, each a dict keyed by column name."""
    table = json.loads(text)
    headings = table['headings']
    return [dict(zip(headings, [decode_datum(cell) for cell in row])) for row in table['data']]


def ovs_bool(value):
    """A boolean the way ovs-vsctl takes it in column=value arguments."""
    return 'true' if value else 'false'


class Vsctl(object):
    """ovs-vsctl with a timeout: queries that run at once, and commands built for later."""

    def __init__(self, module, timeout):
        self.module = module
        self._base = [module.get_bin_path('ovs-vsctl', required=True), '--timeout=%d' % timeout]

    def transaction(self, subcommands):
        """The argument list of one ovs-vsctl call that runs the subcommands, joined by '--',
        as one database transaction: all of them happen or none does."""
        argv = list(self._base)
        for index, subcommand in enumerate(subcommands):
            if index:
                argv.append('--')
            argv.extend(subcommand)
        return argv

    def run(self, subcommand, allowed_rc=(0,)):
        """Run one subcommand now; fail the module unless its exit code is allowed. Returns (rc, stdout, stderr)."""
        return run(self.module, self.transaction([subcommand]), allowed_rc)

    def find_row(self, table, name, columns):
        """The columns of the row of table whose name is name, as a dict; None when there is no such row."""
        condition = 'name=%s' % json.dumps(name)
        stdout = self.run(['--format=json', '--columns=%s' % ','.join(columns), 'find', table, condition])[1]
        rows = decode_table(stdout)
        return rows[0] if rows else None
