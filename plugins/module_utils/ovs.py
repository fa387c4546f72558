# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Open vSwitch through ovs-vsctl: reading rows of its database as JSON and
building the command lines of one transaction."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import re
import signal

from ansible.module_utils.common.text.converters import to_text

from ansible_collections.k8s_classic.cluster.plugins.module_utils.command import fail_command, run_command

# ovs-vsctl --timeout=N kills itself with SIGALRM when N seconds pass: Python reports the
# signal as a negative exit code, a shell as 128 + the signal number.
TIMED_OUT = (-signal.SIGALRM, 128 + signal.SIGALRM)

# Characters that end a key (a token) in ovs-vsctl's column:key=value and remove arguments.
TOKEN_DELIMITERS = re.compile(r'[:=,\[\]{}!<>"\\\s]')


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


def as_set(value):
    """An OVSDB set column as a list: OVSDB writes a set of one element as the element alone."""
    return value if isinstance(value, list) else [value]


def ovs_key(text):
    """A map key for ovs-vsctl's column:key=value and remove arguments: as it is when it is a plain
    token, otherwise quoted (ovs-vsctl reads a quoted string as JSON)."""
    text = to_text(text)
    if text and not TOKEN_DELIMITERS.search(text):
        return text
    return json.dumps(text)


def ovs_value(text):
    """A map value for ovs-vsctl's column:key=value: as it is, except the empty string and strings
    that start with a quote, which ovs-vsctl would refuse or unquote; those are quoted as JSON."""
    text = to_text(text)
    if text and not text.startswith('"'):
        return text
    return json.dumps(text)


def ovs_bool(value):
    """A boolean the way ovs-vsctl takes it in column=value arguments."""
    return 'true' if value else 'false'


class Vsctl(object):
    """ovs-vsctl with a timeout, and the database given (or its default one): queries that run
    at once, and commands built for later."""

    def __init__(self, module, timeout, database=None):
        self.module = module
        self.timeout = timeout
        self._base = [module.get_bin_path('ovs-vsctl', required=True), '--timeout=%d' % timeout]
        if database:
            self._base.append('--db=%s' % database)

    def timed_out(self, rc):
        """Whether ovs-vsctl exited with rc because its timeout passed."""
        return rc in TIMED_OUT

    def timeout_reason(self):
        return ('ovs-vsctl timed out after %d seconds (ovsdb-server or ovs-vswitchd did not answer in time; '
                'are they running, and is the database socket right?)' % self.timeout)

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
        argv = self.transaction([subcommand])
        rc, stdout, stderr = run_command(self.module, argv)
        if rc not in allowed_rc:
            reason = self.timeout_reason() if self.timed_out(rc) else None
            fail_command(self.module, argv, rc, stdout, stderr, reason=reason)
        return rc, stdout, stderr

    def find_row(self, table, name, columns):
        """The columns of the row of table whose name is name, as a dict; None when there is no such row."""
        condition = 'name=%s' % json.dumps(name)
        stdout = self.run(['--format=json', '--columns=%s' % ','.join(columns), 'find', table, condition])[1]
        rows = decode_table(stdout)
        return rows[0] if rows else None
