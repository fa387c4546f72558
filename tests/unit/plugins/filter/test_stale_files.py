# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.k8s_classic.cluster.plugins.filter.stale_files import FilterModule, stale_files


def entry(path, checksum='aa', mode='0644', owner='root', group='root'):
    return {'path': path, 'checksum': checksum, 'mode': mode, 'pw_name': owner, 'gr_name': group}


CA = {'src': '/c/ca.crt', 'dest': '/h/ca.crt', 'mode': '0644', 'owner': 'root', 'group': 'root'}
KEY = {'src': '/c/k.key', 'dest': '/h/k.key', 'mode': '0600'}
SOURCES = {'files': [entry('/c/ca.crt', 'aa'), entry('/c/k.key', 'bb', '0600')]}


def test_registered():
    assert FilterModule().filters()['stale_files'] is stale_files


def test_nothing_stale_when_all_match():
    have = {'files': [entry('/h/ca.crt', 'aa'), entry('/h/k.key', 'bb', '0600', owner='etcd', group='etcd')]}
    assert stale_files([CA, KEY], SOURCES, have) == []


def test_files_lists_are_accepted_as_well_as_results():
    assert stale_files([CA], SOURCES['files'], [entry('/h/ca.crt', 'aa')]) == []


@pytest.mark.parametrize('have, why', [
    ([], 'missing on the host'),
    ([entry('/h/ca.crt', 'zz')], 'other content'),
    ([{'path': '/h/ca.crt', 'mode': '0644'}], 'no checksum (a directory, or find without get_checksum)'),
    ([entry('/h/ca.crt', mode='0640')], 'other mode'),
    ([entry('/h/ca.crt', owner='nobody')], 'other owner'),
    ([entry('/h/ca.crt', group='nogroup')], 'other group'),
])
def test_stale(have, why):
    assert stale_files([CA], SOURCES, have) == [CA], why


def test_source_missing_on_the_controller_is_stale():
    # the copy then fails, naming the file
    assert stale_files([CA], [], [entry('/h/ca.crt')]) == [CA]


def test_owner_and_group_unchecked_when_not_asked():
    assert stale_files([KEY], SOURCES, [entry('/h/k.key', 'bb', '0600', owner='etcd', group='etcd')]) == []


@pytest.mark.parametrize('mode', ['644', '0o644', 0o644, '0644'])
def test_mode_spellings(mode):
    item = dict(CA, mode=mode)
    assert stale_files([item], SOURCES, [entry('/h/ca.crt')]) == []


def test_paths_compared_normalised():
    item = dict(CA, src='/c//x/../ca.crt', dest='/h/./ca.crt')
    assert stale_files([item], SOURCES, [entry('/h//ca.crt')]) == []


def test_order_kept():
    other = dict(CA, src='/c/k.key', dest='/h/other')
    assert stale_files([other, CA], SOURCES, []) == [other, CA]


@pytest.mark.parametrize('desired, sources, have, message', [
    ({'src': 'a'}, [], [], 'the input must be a list'),
    ([{'src': '/c/ca.crt'}], [], [], 'every entry needs src and dest'),
    (['/c/ca.crt'], [], [], 'every entry needs src and dest'),
    ([CA], 'text', [], 'sources must be the result of ansible.builtin.find'),
    ([CA], [], 3, 'have must be the result of ansible.builtin.find'),
    ([dict(CA, mode='rw-r--r--')], SOURCES, [entry('/h/ca.crt')], 'mode rw-r--r-- is not an octal mode'),
])
def test_bad_input(desired, sources, have, message):
    with pytest.raises(AnsibleFilterError, match=message):
        stale_files(desired, sources, have)
