# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Running commands for the modules: argument lists (never shell strings),
failures that name the command, and check mode for the commands that change things."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.six.moves import shlex_quote


def command_line(argv):
    """The argument list as one line that could be pasted into a shell."""
    return ' '.join(shlex_quote(to_text(arg)) for arg in argv)


def run_command(module, argv):
    """Run argv as given: no shell, no expansion of ~ or $VARIABLES. Returns (rc, stdout, stderr)."""
    return module.run_command(argv, expand_user_and_vars=False)


def fail_command(module, argv, rc, stdout, stderr, reason=None, **result):
    """Fail the module with what the command said (or reason, when given), the command line first.

    result adds to the module's result, such as changed=True when earlier commands changed the system."""
    reason = reason or stderr.strip() or stdout.strip() or 'no output'
    module.fail_json(msg='%s failed (rc=%d): %s' % (command_line(argv), rc, reason),
                     cmd=command_line(argv), rc=rc, stdout=stdout, stderr=stderr, **result)


def run(module, argv, allowed_rc=(0,)):
    """Run argv; fail the module unless its exit code is one of allowed_rc. Returns (rc, stdout, stderr)."""
    rc, stdout, stderr = run_command(module, argv)
    if rc not in allowed_rc:
        fail_command(module, argv, rc, stdout, stderr)
    return rc, stdout, stderr


def run_changes(module, commands):
    """Run the commands that change the system, in order; in check mode run none of them.

    Returns the command lines, for the module's result."""
    if not module.check_mode:
        for argv in commands:
            run(module, argv)
    return [command_line(argv) for argv in commands]
