# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""stale_files: which of a set of files copied from the controller a host lacks or has in
another content, mode or owner, from one ansible.builtin.find of each side - so that a role
copies only those, instead of paying one ansible.builtin.copy round trip per file on every
run (documentation: stale_files.yml beside this file)."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os.path

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_native


def _by_path(found, side):
    """path -> entry, from a list of ansible.builtin.find 'files' entries (or its whole result)"""
    if isinstance(found, dict):
        found = found.get('files', [])
    if not isinstance(found, list):
        raise AnsibleFilterError('stale_files: %s must be the result of ansible.builtin.find or its files list, got %s'
                                 % (side, type(found).__name__))
    return dict((os.path.normpath(entry['path']), entry) for entry in found if isinstance(entry, dict) and 'path' in entry)


def _mode(value):
    """'0644', '644', 420 or '0o644' -> 0o644"""
    if isinstance(value, int):
        return value & 0o7777
    text = to_native(value).strip().lower()
    if text.startswith('0o'):
        text = text[2:]
    return int(text, 8) & 0o7777


def stale_files(desired, sources, have):
    """The entries of desired whose dest is missing in have, or differs from its src in sources
    (SHA1 checksum), or has another mode, owner or group than the entry asks for."""
    if not isinstance(desired, list):
        raise AnsibleFilterError('stale_files: the input must be a list of {src, dest, mode[, owner, group]}, got %s'
                                 % type(desired).__name__)
    local = _by_path(sources, 'sources')
    remote = _by_path(have, 'have')
    stale = []
    for item in desired:
        if not isinstance(item, dict) or 'src' not in item or 'dest' not in item:
            raise AnsibleFilterError('stale_files: every entry needs src and dest, got %s' % to_native(item))
        there = remote.get(os.path.normpath(item['dest']))
        source = local.get(os.path.normpath(item['src']))
        if there is None or source is None or 'checksum' not in there or there['checksum'] != source.get('checksum'):
            stale.append(item)
            continue
        try:
            if item.get('mode') is not None and _mode(there.get('mode', '')) != _mode(item['mode']):
                stale.append(item)
                continue
        except ValueError:
            raise AnsibleFilterError('stale_files: %s: mode %s is not an octal mode' % (item['dest'], to_native(item['mode'])))
        if item.get('owner') is not None and there.get('pw_name') != item['owner']:
            stale.append(item)
        elif item.get('group') is not None and there.get('gr_name') != item['group']:
            stale.append(item)
    return stale


class FilterModule(object):
    def filters(self):
        return {'stale_files': stale_files}
