# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.k8s_classic.cluster.plugins.module_utils.command import (
    command_line,
    fail_command,
    run,
    run_changes,
)


class Failed(Exception):
    pass


class FakeModule(object):
    """The part of AnsibleModule that command.py uses; commands exit with the rc given."""

    def __init__(self, rc=0, stdout='', stderr='', check_mode=False):
        self.check_mode = check_mode
        self.answer = (rc, stdout, stderr)
        self.calls = []

    def run_command(self, args, **kwargs):
        self.calls.append((args, kwargs))
        return self.answer

    def fail_json(self, **result):
        raise Failed(result)


def test_command_line_quotes_only_what_a_shell_would_split():
    assert command_line(['ovs-vsctl', 'set', 'Interface', 'gre0', 'options:remote_ip=fd00::2']) == \
        'ovs-vsctl set Interface gre0 options:remote_ip=fd00::2'
    assert command_line(['echo', 'two words', '$HOME']) == "echo 'two words' '$HOME'"


def test_run_passes_the_argument_list_unexpanded():
    module = FakeModule(stdout='out')
    assert run(module, ['ip', 'route', 'show']) == (0, 'out', '')
    assert module.calls == [(['ip', 'route', 'show'], dict(expand_user_and_vars=False))]


def test_run_accepts_the_exit_codes_allowed():
    assert run(FakeModule(rc=2), ['ovs-vsctl', 'br-exists', 'obr0'], allowed_rc=(0, 2))[0] == 2


def test_run_fails_with_command_rc_and_what_it_said():
    with pytest.raises(Failed) as failed:
        run(FakeModule(rc=1, stderr='RTNETLINK answers: File exists\n'), ['ip', 'route', 'add', '10.0.0.0/8', 'dev', 'lo'])
    assert failed.value.args[0] == dict(
        msg='ip route add 10.0.0.0/8 dev lo failed (rc=1): RTNETLINK answers: File exists',
        cmd='ip route add 10.0.0.0/8 dev lo', rc=1, stdout='', stderr='RTNETLINK answers: File exists\n')


@pytest.mark.parametrize('stdout, reason', [('usage: ...\n', 'usage: ...'), ('', 'no output')])
def test_failure_without_stderr_says_what_there_is(stdout, reason):
    with pytest.raises(Failed) as failed:
        run(FakeModule(rc=1, stdout=stdout), ['false'])
    assert failed.value.args[0]['msg'] == 'false failed (rc=1): ' + reason


def test_run_changes_runs_the_commands_in_order():
    module = FakeModule()
    assert run_changes(module, [['ip', 'route', 'replace', 'default', 'dev', 'eth0'], ['true']]) == \
        ['ip route replace default dev eth0', 'true']
    assert [args for args, _kwargs in module.calls] == [['ip', 'route', 'replace', 'default', 'dev', 'eth0'], ['true']]


def test_run_changes_in_check_mode_runs_nothing():
    module = FakeModule(check_mode=True)
    assert run_changes(module, [['ip', 'route', 'del', 'default']]) == ['ip route del default']
    assert module.calls == []


def test_run_changes_stops_at_the_first_failure():
    module = FakeModule(rc=2, stderr='Cannot find device "kbr0"\n')
    with pytest.raises(Failed):
        run_changes(module, [['ip', 'route', 'replace', 'default', 'dev', 'kbr0'], ['true']])
    assert len(module.calls) == 1


def test_fail_command_takes_a_reason_and_more_result():
    with pytest.raises(Failed) as failed:
        fail_command(FakeModule(), ['ovs-vsctl', 'show'], -14, '', '', reason='timed out', changed=True)
    result = failed.value.args[0]
    assert result['msg'] == 'ovs-vsctl show failed (rc=-14): timed out'
    assert result['changed'] is True
    assert result['rc'] == -14
