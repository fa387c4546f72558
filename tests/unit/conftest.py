# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Runs this collection's modules in-process: module arguments in, the result of
exit_json or fail_json out, ovs-vsctl and ip replaced by fakes of each test module."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import sys
from pathlib import Path

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

# `make setup` links .venv/ansible_collections/k8s_classic/cluster to this checkout,
# so the modules import each other by their collection names.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / '.venv'))


class AnsibleExitJson(Exception):
    """The module called exit_json; args[0] is its result."""


class AnsibleFailJson(Exception):
    """The module called fail_json; args[0] is its result."""


def _exit_json(module, **result):
    raise AnsibleExitJson(result)


def _fail_json(module, **result):
    result['failed'] = True
    raise AnsibleFailJson(result)


REAL_GET_BIN_PATH = basic.AnsibleModule.get_bin_path


def _get_bin_path(module, arg, required=False, opt_dirs=None):
    return '/usr/bin/' + arg


class ModuleRunner(object):
    """Runs a module's main() with arguments; the commands it runs are answered by
    `system`, a callable that takes run_command's arguments and returns (rc, stdout, stderr)."""

    def __init__(self, monkeypatch):
        self._monkeypatch = monkeypatch
        monkeypatch.setattr(basic.AnsibleModule, 'exit_json', _exit_json)
        monkeypatch.setattr(basic.AnsibleModule, 'fail_json', _fail_json)
        monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path', _get_bin_path)

    def hide_command(self, name):
        """Let AnsibleModule.get_bin_path look for name as it does on a host without it."""
        def find_only_others(arg, opt_dirs=None):
            if arg == name:
                raise ValueError('Failed to find required executable "%s" in paths: /usr/sbin:/usr/bin' % arg)
            return '/usr/bin/' + arg
        self._monkeypatch.setattr(basic, 'get_bin_path', find_only_others)
        self._monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path', REAL_GET_BIN_PATH)

    def _run(self, main, args, system, check_mode, diff):
        module_args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
        self._monkeypatch.setattr(basic, '_ANSIBLE_ARGS', to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': module_args})))
        self._monkeypatch.setattr(basic.AnsibleModule, 'run_command',
                                  lambda module, args, **kwargs: system(args, **kwargs))
        main()

    def exits(self, main, args, system, check_mode=False, diff=False):
        """The result of a module run that must succeed."""
        with pytest.raises(AnsibleExitJson) as exited:
            self._run(main, args, system, check_mode, diff)
        return exited.value.args[0]

    def fails(self, main, args, system, check_mode=False, diff=False):
        """The result of a module run that must fail."""
        with pytest.raises(AnsibleFailJson) as failed:
            self._run(main, args, system, check_mode, diff)
        return failed.value.args[0]


@pytest.fixture
def module_runner(monkeypatch):
    return ModuleRunner(monkeypatch)
