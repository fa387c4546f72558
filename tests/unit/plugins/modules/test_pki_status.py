# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The pki_status module as a task runs it: options in, result out. Its checks are tested one by
one in tests/unit/plugins/module_utils/test_pki.py, whose PKI builder these tests use."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import copy
import os

import pytest

from ansible_collections.k8s_classic.cluster.plugins.modules import pki_status
from ansible_collections.k8s_classic.cluster.tests.unit.plugins.module_utils.test_pki import CAS, CERTIFICATES, NAMES, Pki


def no_commands(args, **kwargs):
    raise AssertionError('pki_status runs no command, not %r' % (args,))


@pytest.fixture
def made(tmp_path):
    return Pki(tmp_path / 'pki')


def arguments(made, **changes):
    """The module's arguments for the PKI made, as the role would give them."""
    return dict(dict(path=made.path, cas=copy.deepcopy(CAS), certificates=copy.deepcopy(CERTIFICATES),
                     key_type='ECC', key_curve='secp256r1'), **changes)


def files(path):
    """Every file under path with its content and mode, to show that nothing changed."""
    found = {}
    for directory, _subdirectories, names in os.walk(path):
        for name in names:
            with open(os.path.join(directory, name), 'rb') as stream:
                found[os.path.join(directory, name)] = (stream.read(), os.stat(os.path.join(directory, name)).st_mode)
    return found


def test_current_pki(module_runner, made):
    before = files(made.path)
    result = module_runner.exits(pki_status.main, arguments(made), no_commands)
    assert result['changed'] is False
    assert result['stale_cas'] == []
    assert result['stale_certificates'] == []
    assert result['reasons'] == {}
    assert sorted(result['not_after']) == sorted(NAMES)
    assert files(made.path) == before


@pytest.mark.parametrize('check_mode', [False, True])
def test_stale_ca_and_certificate_with_reasons(module_runner, made, check_mode):
    os.remove(made.file('etcd-ca', '.key'))
    os.chmod(made.file('admin', '.crt'), 0o640)
    before = files(made.path)
    result = module_runner.exits(pki_status.main, arguments(made), no_commands, check_mode=check_mode)
    assert result['changed'] is False
    assert result['stale_cas'] == ['etcd']
    assert result['stale_certificates'] == ['etcd/server-node1', 'apiserver-etcd-client', 'admin']
    assert result['reasons'] == {
        'etcd-ca': 'key %s is missing' % made.file('etcd-ca', '.key'),
        'etcd/server-node1': 'its CA is made again',
        'apiserver-etcd-client': 'its CA is made again',
        'admin': 'certificate %s has mode 0640, not 0644' % made.file('admin', '.crt'),
    }
    assert result['not_after']['admin'] == '2027-01-01T12:00:00Z'
    assert files(made.path) == before


def test_first_run_makes_everything(module_runner, tmp_path):
    result = module_runner.exits(pki_status.main, dict(path=str(tmp_path / 'new'), cas=CAS, certificates=CERTIFICATES), no_commands)
    assert result['stale_cas'] == ['kubernetes', 'etcd']
    assert result['stale_certificates'] == NAMES
    assert result['not_after'] == {}
    assert not os.path.exists(str(tmp_path / 'new'))


def test_defaults_are_those_of_the_role(module_runner, made):
    """ECC secp256r1, and no certificates."""
    result = module_runner.exits(pki_status.main, dict(path=made.path, cas=CAS), no_commands)
    assert (result['stale_cas'], result['stale_certificates'], result['not_after']) == ([], [], {})


def test_rsa_keys_of_openssl_privatekeys_default_size(module_runner, made):
    result = module_runner.exits(pki_status.main, arguments(made, key_type='RSA'), no_commands)
    assert result['reasons']['kubernetes-ca'] == 'the key is ECC, not RSA'


def test_rsa_pki(module_runner, tmp_path):
    made = Pki(tmp_path, key_type='RSA', key_size=1024)
    result = module_runner.exits(pki_status.main, arguments(made, key_type='RSA', key_size=1024), no_commands)
    assert (result['stale_cas'], result['stale_certificates']) == ([], [])


def test_path_is_expanded(module_runner, made, monkeypatch):
    monkeypatch.setenv('HOME', os.path.dirname(made.path))
    result = module_runner.exits(pki_status.main, arguments(made, path='~/pki'), no_commands)
    assert result['stale_certificates'] == []


@pytest.mark.parametrize('changes, message', [
    (dict(key_type='DSA'), 'value of key_type must be one of: ECC, RSA, Ed25519, got: DSA'),
    (dict(key_curve='secp224r1'), 'value of key_curve must be one of: secp256r1, secp384r1, secp521r1, got: secp224r1'),
    (dict(key_type='RSA', key_size=-1), 'key_size must be a number of bits (4096), not -1'),
    (dict(cas=[dict(name='kubernetes')]), 'missing required arguments: common_name found in cas'),
    (dict(cas=[dict(name='kubernetes', common_name='x', extra=1)]), 'Unsupported parameters for (basic.py) module: cas.extra'),
    (dict(cas=[dict(name='kubernetes', common_name='x')]),
     "certificate etcd/server-node1: ca 'etcd' is not one of the cas (kubernetes)"),
    (dict(cas=[dict(name='etcd/x', common_name='x')]), "cas[0] has no name, or one that is not a file name: 'etcd/x'"),
    (dict(certificates=[dict(CERTIFICATES[0], usages=['clientAuth', 'emailProtection'])]),
     "certificate etcd/server-node1: usage 'emailProtection' is not clientAuth or serverAuth"),
    (dict(certificates=[dict(CERTIFICATES[0], sans=['node1'])]),
     "certificate etcd/server-node1: SAN 'node1' is not DNS:<name> or IP:<address>"),
    (dict(certificates=[dict(CERTIFICATES[0], sans=['IP:node1'])]),
     "certificate etcd/server-node1: SAN 'IP:node1' is not an IP address"),
    (dict(certificates=[dict(CERTIFICATES[0], ca='front-proxy')]),
     "certificate etcd/server-node1: ca 'front-proxy' is not one of the cas (kubernetes, etcd)"),
    (dict(certificates=[dict(cn='x', ca='etcd', usages=[])]), 'certificates[0] has no name (a string)'),
    (dict(certificates=['apiserver']), 'certificates'),
])
def test_bad_options_fail_naming_what_is_wrong(module_runner, made, changes, message):
    result = module_runner.fails(pki_status.main, arguments(made, **changes), no_commands)
    assert message in result['msg']
    assert 'stale_cas' not in result


def test_path_is_required(module_runner):
    result = module_runner.fails(pki_status.main, dict(cas=CAS), no_commands)
    assert result['msg'] == 'missing required arguments: path'


def test_without_cryptography(module_runner, made, monkeypatch):
    monkeypatch.setattr(pki_status, 'HAS_CRYPTOGRAPHY', False)
    monkeypatch.setattr(pki_status, 'CRYPTOGRAPHY_IMPORT_ERROR', 'Traceback: No module named cryptography')
    result = module_runner.fails(pki_status.main, arguments(made), no_commands)
    assert 'Failed to import the required Python library (cryptography)' in result['msg']
    assert result['exception'] == 'Traceback: No module named cryptography'
