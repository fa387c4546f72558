# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""pki_status's checks, against PKIs made here with cryptography as the pki role's
community.crypto tasks make them, then changed one thing at a time."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import copy
import datetime
import os
import shutil
import sys

import pytest

from ansible.module_utils.six.moves import reload_module
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa
from cryptography.x509.oid import ExtensionOID, NameOID

from ansible_collections.k8s_classic.cluster.plugins.module_utils import pki

CLIENT_AUTH = x509.ObjectIdentifier('1.3.6.1.5.5.7.3.2')
SERVER_AUTH = x509.ObjectIdentifier('1.3.6.1.5.5.7.3.1')
CURVES = {'secp256r1': ec.SECP256R1, 'secp384r1': ec.SECP384R1, 'secp521r1': ec.SECP521R1}

CAS = [
    dict(name='kubernetes', common_name='test-kubernetes-ca'),
    dict(name='etcd', common_name='test-etcd-ca'),
]
CERTIFICATES = [
    dict(name='etcd/server-node1', ca='etcd', cn='node1', o='', usages=['serverAuth', 'clientAuth'],
         sans=['DNS:node1', 'DNS:localhost', 'IP:192.0.2.11', 'IP:127.0.0.1'], hosts=['node1'], dest='etcd/server'),
    dict(name='apiserver-etcd-client', ca='etcd', cn='kube-apiserver-etcd-client', o='', usages=['clientAuth'], sans=[],
         hosts=['node1'], dest='apiserver-etcd-client'),
    dict(name='apiserver', ca='kubernetes', cn='kube-apiserver', o='', usages=['serverAuth'],
         sans=['DNS:kubernetes', 'IP:10.96.0.1', 'IP:fd00::1'], hosts=['node1'], dest='apiserver'),
    dict(name='admin', ca='kubernetes', cn='kubernetes-admin', o='system:masters', usages=['clientAuth'], sans=[],
         hosts=['node1'], dest='admin'),
]
NAMES = [certificate['name'] for certificate in CERTIFICATES]
KUBERNETES_CERTIFICATES = ['apiserver', 'admin']
ETCD_CERTIFICATES = ['etcd/server-node1', 'apiserver-etcd-client']


def new_key(key_type='ECC', key_curve='secp256r1', key_size=1024):
    if key_type == 'RSA':
        return rsa.generate_private_key(65537, key_size, None)
    if key_type == 'Ed25519':
        return ed25519.Ed25519PrivateKey.generate()
    return ec.generate_private_key(CURVES[key_curve](), None)


def name(*attributes):
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in attributes])


def key_usage(*bits):
    return pki.key_usage(bits)


def san(*names):
    return x509.SubjectAlternativeName([pki.san_name(text) for text in names])


def ski_of(public_key):
    return x509.SubjectKeyIdentifier.from_public_key(public_key)


class Pki(object):
    """A PKI in a directory, as the pki role's community.crypto tasks make it: keys (PKCS#1, or
    PKCS#8 for Ed25519, mode 0600) and certificates (mode 0644) of the CAS and CERTIFICATES.
    Each certificate is kept as the recipe it was made from, so that a test can make it again
    with one thing changed (reissue)."""

    def __init__(self, path, key_type='ECC', key_curve='secp256r1', key_size=1024):
        self.path = str(path)
        self.options = dict(key_type=key_type, key_curve=key_curve, key_size=key_size)
        self.keys = {}
        self.recipes = {}
        for ca in CAS:
            self.make_ca(ca['name'], ca['common_name'])
        for certificate in CERTIFICATES:
            self.make_certificate(certificate)

    def file(self, stem, suffix):
        return os.path.join(self.path, stem + suffix)

    def new_key(self, **options):
        return new_key(**dict(self.options, **options))

    def write(self, stem, suffix, data, mode):
        path = self.file(stem, suffix)
        if not os.path.isdir(os.path.dirname(path)):
            os.makedirs(os.path.dirname(path))
        with open(path, 'wb') as stream:
            stream.write(data)
        os.chmod(path, mode)

    def write_key(self, stem, key, mode=0o600, encryption=None):
        key_format = serialization.PrivateFormat.TraditionalOpenSSL
        if isinstance(key, ed25519.Ed25519PrivateKey) or encryption is not None:
            key_format = serialization.PrivateFormat.PKCS8
        data = key.private_bytes(serialization.Encoding.PEM, key_format, encryption or serialization.NoEncryption())
        self.write(stem, '.key', data, mode)
        self.keys[stem] = key

    def certificate(self, stem):
        with open(self.file(stem, '.crt'), 'rb') as stream:
            return x509.load_pem_x509_certificate(stream.read())

    def issue(self, stem, subject, issuer, public_key, signer, extensions, mode=0o644, algorithm='default', days=365):
        """Make the certificate stem: extensions is a list of (value, critical)."""
        self.recipes[stem] = dict(subject=subject, issuer=issuer, public_key=public_key, signer=signer,
                                  extensions=list(extensions), mode=mode, algorithm=algorithm, days=days)
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
                   .serial_number(x509.random_serial_number()).not_valid_before(datetime.datetime(2025, 1, 1))
                   .not_valid_after(datetime.datetime(2026, 1, 1, 12, 0, 0) + datetime.timedelta(days=days)))
        for value, critical in extensions:
            builder = builder.add_extension(value, critical)
        if algorithm == 'default':
            algorithm = None if isinstance(signer, ed25519.Ed25519PrivateKey) else hashes.SHA256()
        certificate = builder.sign(signer, algorithm)
        self.write(stem, '.crt', certificate.public_bytes(serialization.Encoding.PEM), mode)
        return certificate

    def reissue(self, stem, drop=(), add=(), replace=None, **changes):
        """Make the certificate stem again as before, with the changes: drop (extension OIDs), add
        ((value, critical) pairs), replace ({OID: (value, critical)}) and issue's arguments."""
        recipe = dict(self.recipes[stem], **changes)
        extensions = []
        for value, critical in recipe['extensions']:
            if value.oid in drop:
                continue
            extensions.append((replace or {}).get(value.oid, (value, critical)))
        recipe['extensions'] = extensions + list(add)
        return self.issue(stem, **recipe)

    def make_ca(self, ca, common_name, key=None):
        stem = ca + '-ca'
        key = key or self.new_key()
        self.write_key(stem, key)
        subject = name((NameOID.COMMON_NAME, common_name))
        self.issue(stem, subject, subject, key.public_key(), key, [
            (x509.BasicConstraints(ca=True, path_length=None), True),
            (key_usage('key_cert_sign', 'crl_sign', 'digital_signature'), True),
            (ski_of(key.public_key()), False),
        ])

    def make_certificate(self, certificate, key=None):
        stem = certificate['name']
        key = key or self.new_key()
        self.write_key(stem, key)
        ca_stem = certificate['ca'] + '-ca'
        ca_certificate = self.certificate(ca_stem)
        attributes = [(NameOID.COMMON_NAME, certificate['cn'])]
        if certificate['o']:
            attributes.insert(0, (NameOID.ORGANIZATION_NAME, certificate['o']))
        extensions = []
        if certificate['sans']:
            extensions.append((san(*certificate['sans']), False))
        extensions.append((key_usage('digital_signature', 'key_encipherment'), False))
        if certificate['usages']:
            oids = [x509.ObjectIdentifier(pki.USAGES[usage]) for usage in certificate['usages']]
            extensions.append((x509.ExtendedKeyUsage(oids), False))
        ca_ski = ca_certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        extensions.append((ski_of(key.public_key()), False))
        extensions.append((x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), False))
        self.issue(stem, name(*attributes), ca_certificate.subject, key.public_key(), self.keys[ca_stem], extensions)

    def status(self, cas=None, certificates=None, **options):
        """pki_status of this PKI, with the options of the module (default: as it was made)."""
        key_options = pki.KeyOptions(**dict(self.options, **options))
        ca_specs = pki.checked_cas(CAS if cas is None else cas)
        specs = pki.checked_certificates(CERTIFICATES if certificates is None else certificates,
                                         [spec.name for spec in ca_specs])
        return pki.pki_status(self.path, ca_specs, specs, key_options)


def certificates_with(name_, **changes):
    """CERTIFICATES, with the changes in the one named name_."""
    certificates = copy.deepcopy(CERTIFICATES)
    for certificate in certificates:
        if certificate['name'] == name_:
            certificate.update(changes)
    return certificates


def assert_stale(result, certificates=(), cas=(), reason=None):
    """Only the CAs and certificates named are stale; when reason is given, it is in the reason of
    the first of them (the first CA, or the first certificate when no CA is given)."""
    assert result['stale_cas'] == list(cas)
    assert result['stale_certificates'] == list(certificates)
    assert sorted(result['reasons']) == sorted([ca + '-ca' for ca in cas] + list(certificates))
    if reason is not None:
        first = cas[0] + '-ca' if cas else certificates[0]
        assert reason in result['reasons'][first]


def assert_ca_stale(result, ca, reason):
    """The CA ca and every certificate it signs are stale (those because of the CA), and nothing else."""
    signed = [certificate['name'] for certificate in CERTIFICATES if certificate['ca'] == ca]
    assert_stale(result, signed, [ca], reason)
    for certificate in signed:
        assert result['reasons'][certificate] == 'its CA is made again'


@pytest.fixture
def ecc(tmp_path):
    return Pki(tmp_path)


# ---------------------------------------------------------------------------------------------
# a PKI as the role makes it


def test_pki_as_made_is_current(ecc):
    result = ecc.status()
    assert_stale(result)
    assert result['reasons'] == {}
    assert sorted(result['not_after']) == sorted(NAMES)
    assert result['not_after']['admin'] == '2027-01-01T12:00:00Z'


@pytest.mark.parametrize('options', [
    dict(key_type='ECC', key_curve='secp384r1'),
    dict(key_type='RSA', key_size=1024),
    dict(key_type='Ed25519'),
])
def test_pki_of_every_key_type_is_current(tmp_path, options):
    assert_stale(Pki(tmp_path, **options).status())


def test_nothing_is_current_in_a_directory_that_does_not_exist(tmp_path):
    made = Pki(tmp_path / 'elsewhere')
    made.path = str(tmp_path / 'missing')
    result = made.status()
    assert result['stale_cas'] == ['kubernetes', 'etcd']
    assert result['stale_certificates'] == NAMES
    assert result['reasons']['kubernetes-ca'] == 'key %s is missing' % os.path.join(made.path, 'kubernetes-ca.key')
    assert result['not_after'] == {}


def test_extra_keys_of_a_certificate_and_missing_o_and_sans_are_accepted(ecc):
    certificates = certificates_with('admin', hosts=['a', 'b'], dest='x', whatever={'k': 1})
    del certificates[1]['o'], certificates[1]['sans']
    assert_stale(ecc.status(certificates=certificates))


def test_results_keep_the_order_given(ecc):
    for stem in ('admin', 'etcd/server-node1'):
        os.remove(ecc.file(stem, '.crt'))
    result = ecc.status(certificates=list(reversed(CERTIFICATES)))
    assert result['stale_certificates'] == ['admin', 'etcd/server-node1']


# ---------------------------------------------------------------------------------------------
# the keys


@pytest.mark.parametrize('stem, stale', [('admin', dict(certificates=['admin'])), ('etcd-ca', dict(ca='etcd'))])
def test_missing_key(ecc, stem, stale):
    os.remove(ecc.file(stem, '.key'))
    result = ecc.status()
    reason = 'key %s is missing' % ecc.file(stem, '.key')
    if 'ca' in stale:
        assert_ca_stale(result, stale['ca'], reason)
    else:
        assert_stale(result, stale['certificates'], reason=reason)


@pytest.mark.parametrize('stem', ['admin', 'kubernetes-ca'])
def test_key_of_another_mode(ecc, stem):
    os.chmod(ecc.file(stem, '.key'), 0o640)
    result = ecc.status()
    reason = 'key %s has mode 0640, not 0600' % ecc.file(stem, '.key')
    if stem == 'admin':
        assert_stale(result, ['admin'], reason=reason)
    else:
        assert_ca_stale(result, 'kubernetes', reason)


def test_key_of_another_type(ecc):
    ecc.write_key('admin', new_key('Ed25519'))
    assert_stale(ecc.status(), ['admin'], reason='the key is Ed25519, not ECC')


def test_key_on_another_curve(ecc):
    ecc.write_key('apiserver', new_key(key_curve='secp384r1'))
    assert_stale(ecc.status(), ['apiserver'], reason='the key is on curve secp384r1, not secp256r1')


def test_every_key_is_stale_for_another_curve(ecc):
    result = ecc.status(key_curve='secp521r1')
    assert result['stale_cas'] == ['kubernetes', 'etcd']
    assert result['reasons']['etcd-ca'] == 'the key is on curve secp256r1, not secp521r1'


def test_rsa_key_of_another_size(tmp_path):
    made = Pki(tmp_path, key_type='RSA', key_size=1024)
    made.write_key('admin', new_key('RSA', key_size=2048))
    assert_stale(made.status(), ['admin'], reason='the key has 2048 bits, not 1024')


def test_rsa_keys_of_the_default_size_of_openssl_privatekey(tmp_path):
    made = Pki(tmp_path, key_type='RSA', key_size=1024)
    result = made.status(key_size=4096)
    assert result['reasons']['kubernetes-ca'] == 'the key has 1024 bits, not 4096'


def test_ecc_key_when_rsa_is_wanted(ecc):
    result = ecc.status(key_type='RSA')
    assert result['reasons']['kubernetes-ca'] == 'the key is ECC, not RSA'


def test_key_of_a_type_the_role_does_not_make(ecc):
    ecc.write(
        'admin', '.key',
        dsa.generate_private_key(1024).private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption()),
        0o600)
    assert_stale(ecc.status(), ['admin'], reason='the key is DSA, not ECC')


def test_encrypted_key(ecc):
    ecc.write_key('admin', ecc.keys['admin'], encryption=serialization.BestAvailableEncryption(b'secret'))
    assert_stale(ecc.status(), ['admin'], reason='the key %s is encrypted' % ecc.file('admin', '.key'))


@pytest.mark.parametrize('data', [b'', b'garbage\n', b'-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n'])
def test_key_file_without_a_pem_key(ecc, data):
    ecc.write('admin', '.key', data, 0o600)
    assert_stale(ecc.status(), ['admin'], reason='is no PEM private key that can be read')


def test_key_in_a_certificate_file_is_no_key(ecc):
    with open(ecc.file('admin', '.crt'), 'rb') as stream:
        ecc.write('admin', '.key', stream.read(), 0o600)
    assert_stale(ecc.status(), ['admin'], reason='is no PEM private key')


def test_pkcs8_key_is_current(ecc):
    """openssl_privatekey keeps format auto_ignore in the role: a PKCS#8 key is not made again."""
    data = ecc.keys['admin'].private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption())
    ecc.write('admin', '.key', data, 0o600)
    assert_stale(ecc.status())


def test_key_that_is_a_directory(ecc):
    os.remove(ecc.file('admin', '.key'))
    os.mkdir(ecc.file('admin', '.key'))
    assert_stale(ecc.status(), ['admin'], reason='key %s is not a file' % ecc.file('admin', '.key'))


def test_key_under_a_file_cannot_be_read(ecc):
    shutil.rmtree(ecc.file('etcd', ''))
    ecc.write('etcd', '', b'a file where the directory should be', 0o644)
    result = ecc.status()
    assert result['stale_certificates'] == ['etcd/server-node1']
    assert 'cannot be read' in result['reasons']['etcd/server-node1']
    assert 'etcd/server-node1' not in result['not_after']


def test_key_that_open_refuses(ecc, monkeypatch):
    real_open = open

    def refusing_open(path, *args, **kwargs):
        if path.endswith('admin.key'):
            raise IOError(13, 'Permission denied')
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(pki, 'open', refusing_open, raising=False)
    assert_stale(ecc.status(), ['admin'], reason='key %s cannot be read: Permission denied' % ecc.file('admin', '.key'))


# ---------------------------------------------------------------------------------------------
# the certificates' files


def test_missing_certificate(ecc):
    os.remove(ecc.file('apiserver', '.crt'))
    result = ecc.status()
    assert_stale(result, ['apiserver'], reason='certificate %s is missing' % ecc.file('apiserver', '.crt'))
    assert 'apiserver' not in result['not_after']


def test_certificate_of_another_mode(ecc):
    os.chmod(ecc.file('admin', '.crt'), 0o600)
    result = ecc.status()
    assert_stale(result, ['admin'], reason='certificate %s has mode 0600, not 0644' % ecc.file('admin', '.crt'))
    assert 'admin' in result['not_after']


@pytest.mark.parametrize('data', [b'', b'garbage', b'-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'])
def test_certificate_file_without_a_pem_certificate(ecc, data):
    ecc.write('admin', '.crt', data, 0o644)
    result = ecc.status()
    assert_stale(result, ['admin'], reason='certificate %s is no PEM certificate that can be read' % ecc.file('admin', '.crt'))
    assert 'admin' not in result['not_after']


def test_certificate_whose_key_does_not_match(ecc):
    ecc.write_key('admin', new_key())
    assert_stale(ecc.status(), ['admin'], reason='the certificate is not that of the key')


def test_certificate_for_another_key(ecc):
    ecc.reissue('admin', public_key=new_key().public_key())
    assert_stale(ecc.status(), ['admin'], reason='the certificate is not that of the key')


# ---------------------------------------------------------------------------------------------
# the certificates' subjects and signatures


def test_certificate_of_another_common_name(ecc):
    assert_stale(ecc.status(certificates=certificates_with('admin', cn='admin')), ['admin'],
                 reason='its subject is /O=system:masters/CN=kubernetes-admin, not /O=system:masters/CN=admin')


def test_certificate_with_another_subject_attribute(ecc):
    ecc.reissue('apiserver', subject=name((NameOID.ORGANIZATIONAL_UNIT_NAME, 'x'), (NameOID.COMMON_NAME, 'kube-apiserver')))
    assert_stale(ecc.status(), ['apiserver'], reason='its subject is /OU=x/CN=kube-apiserver, not /CN=kube-apiserver')


def test_certificate_without_the_organization(ecc):
    assert_stale(ecc.status(certificates=certificates_with('apiserver', o='system:masters')), ['apiserver'],
                 reason='its subject is /CN=kube-apiserver, not /O=system:masters/CN=kube-apiserver')


def test_certificate_with_an_organization_it_must_not_have(ecc):
    assert_stale(ecc.status(certificates=certificates_with('admin', o='')), ['admin'],
                 reason='its subject is /O=system:masters/CN=kubernetes-admin, not /CN=kubernetes-admin')


def test_certificate_with_the_organization_after_the_common_name(ecc):
    """openssl_csr_pipe writes O before CN; x509_certificate compares the subjects in order."""
    ecc.reissue('admin', subject=name((NameOID.COMMON_NAME, 'kubernetes-admin'), (NameOID.ORGANIZATION_NAME, 'system:masters')))
    assert_stale(ecc.status(), ['admin'], reason='its subject is /CN=kubernetes-admin/O=system:masters, not ')


def test_certificate_of_another_ca(ecc):
    etcd = ecc.certificate('etcd-ca')
    ecc.reissue('admin', issuer=etcd.subject, signer=ecc.keys['etcd-ca'])
    assert_stale(ecc.status(), ['admin'], reason='its issuer is /CN=test-etcd-ca, not its CA /CN=test-kubernetes-ca')


def test_certificate_for_another_ca_of_the_options(ecc):
    assert_stale(ecc.status(certificates=certificates_with('admin', ca='etcd')), ['admin'], reason='its issuer is')


def test_certificate_signed_by_another_key_in_its_cas_name(ecc):
    ecc.reissue('admin', signer=ecc.keys['etcd-ca'])
    assert_stale(ecc.status(), ['admin'], reason='it is not signed by its CA kubernetes')


def test_certificate_signed_with_another_hash_is_current(ecc):
    """x509_certificate does not compare the digest of a certificate's signature."""
    ecc.reissue('admin', algorithm=hashes.SHA384())
    assert_stale(ecc.status())


def test_expired_certificate_is_current(ecc):
    """x509_certificate does not compare timestamps (ignore_timestamps); not_after tells."""
    ecc.reissue('admin', days=-1)
    result = ecc.status()
    assert_stale(result)
    assert result['not_after']['admin'] == '2025-12-31T12:00:00Z'


# ---------------------------------------------------------------------------------------------
# the certificates' extensions


@pytest.mark.parametrize('sans, shown', [
    (['DNS:kubernetes', 'IP:10.96.0.1', 'IP:fd00::1', 'DNS:k8s.example.com'], 'DNS:k8s.example.com'),
    (['DNS:kubernetes', 'IP:10.96.0.1'], 'subjectAltName DNS:kubernetes, IP:10.96.0.1'),
    (['DNS:kubernetes.default', 'IP:10.96.0.1', 'IP:fd00::1'], 'DNS:kubernetes.default'),
    (['DNS:kubernetes', 'IP:10.96.0.2', 'IP:fd00::1'], 'IP:10.96.0.2'),
    (['DNS:kubernetes', 'IP:10.96.0.1', 'IP:fd00::2'], 'IP:fd00::2'),
    (['IP:10.96.0.1', 'DNS:kubernetes', 'IP:fd00::1'], 'IP:10.96.0.1, DNS:kubernetes'),
    (['DNS:kubernetes', 'DNS:10.96.0.1', 'IP:fd00::1'], 'DNS:10.96.0.1'),
])
def test_certificate_with_other_names(ecc, sans, shown):
    """Names added, removed, changed or in another order: x509_certificate compares the names in order."""
    result = ecc.status(certificates=certificates_with('apiserver', sans=sans))
    assert_stale(result, ['apiserver'], reason='it has subjectAltName DNS:kubernetes, IP:10.96.0.1, IP:fd00::1, not ')
    assert shown in result['reasons']['apiserver']


def test_addresses_are_compared_as_addresses(ecc):
    assert_stale(ecc.status(certificates=certificates_with('apiserver', sans=['DNS:kubernetes', 'IP:10.96.0.1', 'IP:fd00:0:0::1'])))


def test_certificate_with_a_network_name(ecc):
    ecc.reissue('apiserver', replace={ExtensionOID.SUBJECT_ALTERNATIVE_NAME: (san('DNS:kubernetes', 'IP:10.96.0.0/12'), False)})
    assert_stale(ecc.status(certificates=certificates_with('apiserver', sans=['DNS:kubernetes', 'IP:10.96.0.0/12'])))


def test_certificate_without_names_it_must_have(ecc):
    ecc.reissue('apiserver', drop=[ExtensionOID.SUBJECT_ALTERNATIVE_NAME])
    assert_stale(ecc.status(), ['apiserver'], reason='it lacks subjectAltName DNS:kubernetes, IP:10.96.0.1, IP:fd00::1')


def test_certificate_with_names_it_must_not_have(ecc):
    assert_stale(ecc.status(certificates=certificates_with('apiserver', sans=[])), ['apiserver'],
                 reason='it has an extension that the role does not make: subjectAltName DNS:kubernetes')


def test_certificate_with_an_empty_name_extension(ecc):
    """openssl_csr_pipe puts no subjectAltName in a request without names: x509_certificate makes
    a certificate with an empty one again. The extension is written as its DER bytes (an empty
    SEQUENCE): cryptography 51 neither makes nor reads an empty subjectAltName, and a
    certificate it cannot read is stale for that reason."""
    ecc.reissue('admin', add=[(x509.UnrecognizedExtension(ExtensionOID.SUBJECT_ALTERNATIVE_NAME, b'\x30\x00'), False)])
    try:
        list(ecc.certificate('admin').extensions)
        reason = 'it has an extension that the role does not make: subjectAltName with no names'
    except ValueError:
        reason = 'is no PEM certificate that can be read'
    assert_stale(ecc.status(), ['admin'], reason=reason)


def test_certificate_with_critical_names(ecc):
    ecc.reissue('apiserver', replace={ExtensionOID.SUBJECT_ALTERNATIVE_NAME: (san('DNS:kubernetes', 'IP:10.96.0.1', 'IP:fd00::1'), True)})
    assert_stale(ecc.status(), ['apiserver'], reason='IP:fd00::1 (critical), not subjectAltName')


@pytest.mark.parametrize('usages, reason', [
    (['clientAuth'], 'it has extendedKeyUsage serverAuth, clientAuth, not extendedKeyUsage clientAuth'),
    (['clientAuth', 'serverAuth'], 'it has extendedKeyUsage serverAuth, clientAuth, not extendedKeyUsage clientAuth, serverAuth'),
    ([], 'it has an extension that the role does not make: extendedKeyUsage serverAuth, clientAuth'),
])
def test_certificate_with_other_extended_key_usages(ecc, usages, reason):
    assert_stale(ecc.status(certificates=certificates_with('etcd/server-node1', usages=usages)), ['etcd/server-node1'], reason=reason)


def test_certificate_without_extended_key_usage(ecc):
    ecc.reissue('admin', drop=[ExtensionOID.EXTENDED_KEY_USAGE])
    assert_stale(ecc.status(), ['admin'], reason='it lacks extendedKeyUsage clientAuth')


def test_certificate_with_an_extended_key_usage_the_role_does_not_know(ecc):
    ecc.reissue('admin', replace={ExtensionOID.EXTENDED_KEY_USAGE: (x509.ExtendedKeyUsage([CLIENT_AUTH, x509.ObjectIdentifier('1.3.6.1.5.5.7.3.4')]), False)})
    assert_stale(ecc.status(), ['admin'], reason='it has extendedKeyUsage clientAuth, 1.3.6.1.5.5.7.3.4, not extendedKeyUsage clientAuth')


@pytest.mark.parametrize('value, critical, reason', [
    (key_usage('digital_signature'), False, 'it has keyUsage digitalSignature, not keyUsage digitalSignature, keyEncipherment'),
    (key_usage('digital_signature', 'key_encipherment'), True,
     'it has keyUsage digitalSignature, keyEncipherment (critical), not keyUsage digitalSignature, keyEncipherment'),
    (key_usage('digital_signature', 'key_encipherment', 'key_agreement', 'encipher_only'), False,
     'it has keyUsage digitalSignature, keyEncipherment, keyAgreement, encipherOnly, not'),
    (x509.KeyUsage(*[False] * 9), False, 'it has keyUsage with no usage, not'),
])
def test_certificate_with_another_key_usage(ecc, value, critical, reason):
    ecc.reissue('admin', replace={ExtensionOID.KEY_USAGE: (value, critical)})
    assert_stale(ecc.status(), ['admin'], reason=reason)


def test_certificate_without_key_usage(ecc):
    ecc.reissue('admin', drop=[ExtensionOID.KEY_USAGE])
    assert_stale(ecc.status(), ['admin'], reason='it lacks keyUsage digitalSignature, keyEncipherment')


@pytest.mark.parametrize('extension, critical, shown', [
    (x509.BasicConstraints(ca=False, path_length=None), False, 'basicConstraints CA:FALSE'),
    (x509.BasicConstraints(ca=False, path_length=None), True, 'basicConstraints CA:FALSE (critical)'),
    (x509.BasicConstraints(ca=True, path_length=0), True, 'basicConstraints CA:TRUE, pathlen:0 (critical)'),
    (x509.OCSPNoCheck(), False, '1.3.6.1.5.5.7.48.1.5'),
    (x509.UnrecognizedExtension(x509.ObjectIdentifier('1.2.3.4'), b'\x05\x00'), False, '1.2.3.4'),
])
def test_certificate_with_another_extension(ecc, extension, critical, shown):
    """openssl_csr_pipe puts no basicConstraints in the role's requests: x509_certificate makes a
    certificate with one (even CA:FALSE) again, as any extension the request does not have."""
    ecc.reissue('admin', add=[(extension, critical)])
    assert_stale(ecc.status(), ['admin'], reason='it has an extension that the role does not make: %s' % shown)


def test_certificate_without_subject_key_identifier(ecc):
    ecc.reissue('admin', drop=[ExtensionOID.SUBJECT_KEY_IDENTIFIER])
    assert_stale(ecc.status(), ['admin'], reason='it has no subjectKeyIdentifier extension')


def test_certificate_with_the_subject_key_identifier_of_another_key(ecc):
    ecc.reissue('admin', replace={ExtensionOID.SUBJECT_KEY_IDENTIFIER: (ski_of(new_key().public_key()), False)})
    assert_stale(ecc.status(), ['admin'], reason='its subjectKeyIdentifier is not that of its key')


def test_critical_subject_key_identifier_is_current(ecc):
    """x509_certificate compares the digest of the subjectKeyIdentifier only."""
    ecc.reissue('admin', replace={ExtensionOID.SUBJECT_KEY_IDENTIFIER: (ski_of(ecc.keys['admin'].public_key()), True)})
    assert_stale(ecc.status())


def test_certificate_without_authority_key_identifier(ecc):
    ecc.reissue('admin', drop=[ExtensionOID.AUTHORITY_KEY_IDENTIFIER])
    assert_stale(ecc.status(), ['admin'], reason='it has no authorityKeyIdentifier extension')


def test_certificate_with_another_authority_key_identifier(ecc):
    ca = ecc.certificate('kubernetes-ca')
    ski = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    aki = x509.AuthorityKeyIdentifier(ski.digest, [x509.DirectoryName(ca.subject)], ca.serial_number)
    ecc.reissue('admin', replace={ExtensionOID.AUTHORITY_KEY_IDENTIFIER: (aki, False)})
    assert_stale(ecc.status(), ['admin'], reason='its authorityKeyIdentifier is not that of its CA')


# ---------------------------------------------------------------------------------------------
# the CAs


def test_missing_ca_makes_every_certificate_it_signs_stale(ecc):
    os.remove(ecc.file('etcd-ca', '.crt'))
    result = ecc.status()
    assert_ca_stale(result, 'etcd', 'certificate %s is missing' % ecc.file('etcd-ca', '.crt'))
    assert sorted(result['not_after']) == sorted(NAMES)


def test_certificates_of_a_stale_ca_are_stale_even_without_files(ecc):
    for stem in ('etcd-ca', 'apiserver-etcd-client'):
        os.remove(ecc.file(stem, '.crt'))
    result = ecc.status()
    assert_ca_stale(result, 'etcd', 'is missing')
    assert 'apiserver-etcd-client' not in result['not_after']


def test_ca_certificate_of_another_mode(ecc):
    os.chmod(ecc.file('kubernetes-ca', '.crt'), 0o664)
    assert_ca_stale(ecc.status(), 'kubernetes', 'has mode 0664, not 0644')


def test_ca_certificate_without_a_pem_certificate(ecc):
    ecc.write('kubernetes-ca', '.crt', b'garbage', 0o644)
    assert_ca_stale(ecc.status(), 'kubernetes', 'is no PEM certificate that can be read')


def test_ca_key_of_another_type(ecc):
    ecc.write_key('etcd-ca', new_key('RSA'))
    assert_ca_stale(ecc.status(), 'etcd', 'the key is RSA, not ECC')


def test_ca_whose_key_does_not_match(ecc):
    ecc.write_key('etcd-ca', new_key())
    assert_ca_stale(ecc.status(), 'etcd', 'the certificate is not that of the key')


def test_ca_of_another_common_name(ecc):
    cas = [dict(CAS[0], common_name='other-kubernetes-ca'), CAS[1]]
    assert_ca_stale(ecc.status(cas=cas), 'kubernetes', 'its subject is /CN=test-kubernetes-ca, not /CN=other-kubernetes-ca')


def test_ca_with_another_subject_attribute(ecc):
    subject = name((NameOID.ORGANIZATION_NAME, 'x'), (NameOID.COMMON_NAME, 'test-etcd-ca'))
    ecc.reissue('etcd-ca', subject=subject, issuer=subject)
    assert_ca_stale(ecc.status(), 'etcd', 'its subject is /O=x/CN=test-etcd-ca, not /CN=test-etcd-ca')


def test_ca_that_is_not_self_signed(ecc):
    ecc.reissue('etcd-ca', issuer=name((NameOID.COMMON_NAME, 'test-kubernetes-ca')), signer=ecc.keys['kubernetes-ca'])
    assert_ca_stale(ecc.status(), 'etcd', 'it is not self-signed: its issuer is /CN=test-kubernetes-ca')


def test_ca_signed_by_another_key_in_its_own_name(ecc):
    ecc.reissue('etcd-ca', signer=ecc.keys['kubernetes-ca'])
    assert_ca_stale(ecc.status(), 'etcd', 'it is not signed by its own key')


def test_ca_without_basic_constraints(ecc):
    ecc.reissue('kubernetes-ca', drop=[ExtensionOID.BASIC_CONSTRAINTS])
    assert_ca_stale(ecc.status(), 'kubernetes', 'it lacks basicConstraints CA:TRUE (critical)')


@pytest.mark.parametrize('value, critical, reason', [
    (x509.BasicConstraints(ca=True, path_length=None), False, 'it has basicConstraints CA:TRUE, not basicConstraints CA:TRUE (critical)'),
    (x509.BasicConstraints(ca=True, path_length=0), True, 'it has basicConstraints CA:TRUE, pathlen:0 (critical), not'),
    (x509.BasicConstraints(ca=False, path_length=None), True, 'it has basicConstraints CA:FALSE (critical), not'),
])
def test_ca_with_other_basic_constraints(ecc, value, critical, reason):
    ecc.reissue('kubernetes-ca', replace={ExtensionOID.BASIC_CONSTRAINTS: (value, critical)})
    assert_ca_stale(ecc.status(), 'kubernetes', reason)


@pytest.mark.parametrize('value, critical, reason', [
    (key_usage('key_cert_sign', 'crl_sign'), True, 'it has keyUsage keyCertSign, cRLSign (critical), not keyUsage digitalSignature'),
    (key_usage('key_cert_sign', 'crl_sign', 'digital_signature'), False, 'it has keyUsage digitalSignature, keyCertSign, cRLSign, not'),
])
def test_ca_with_another_key_usage(ecc, value, critical, reason):
    ecc.reissue('kubernetes-ca', replace={ExtensionOID.KEY_USAGE: (value, critical)})
    assert_ca_stale(ecc.status(), 'kubernetes', reason)


def test_ca_with_an_authority_key_identifier(ecc):
    """selfsigned x509_certificate makes no authorityKeyIdentifier, and compares every extension but
    the subjectKeyIdentifier with the request's."""
    ski = ecc.certificate('kubernetes-ca').extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    ecc.reissue('kubernetes-ca', add=[(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), False)])
    assert_ca_stale(ecc.status(), 'kubernetes', 'it has an extension that the role does not make: authorityKeyIdentifier')


def test_ca_without_subject_key_identifier(ecc):
    ecc.reissue('kubernetes-ca', drop=[ExtensionOID.SUBJECT_KEY_IDENTIFIER])
    assert_ca_stale(ecc.status(), 'kubernetes', 'it has no subjectKeyIdentifier extension')


def test_ca_made_again_invalidates_the_certificates_it_signed(ecc):
    """A CA made again with another key (same name): its old certificates are not signed by it."""
    ecc.make_ca('kubernetes', 'test-kubernetes-ca')
    result = ecc.status()
    assert_stale(result, KUBERNETES_CERTIFICATES, reason='it is not signed by its CA kubernetes')
    assert 'authorityKeyIdentifier' not in result['reasons']['admin']


def test_certificates_of_the_other_ca_stay_current(ecc):
    os.remove(ecc.file('kubernetes-ca', '.key'))
    result = ecc.status()
    assert result['stale_certificates'] == KUBERNETES_CERTIFICATES
    assert not set(ETCD_CERTIFICATES) & set(result['reasons'])


# ---------------------------------------------------------------------------------------------
# the options


@pytest.mark.parametrize('options, message', [
    (dict(key_type='DSA'), "key_type must be one of ECC, RSA, Ed25519, not 'DSA'"),
    (dict(key_curve='secp224r1'), "key_curve must be one of secp256r1, secp384r1, secp521r1, not 'secp224r1'"),
    (dict(key_type='RSA', key_size=0), 'key_size must be a number of bits (4096), not 0'),
    (dict(key_type='RSA', key_size='4096'), "key_size must be a number of bits (4096), not '4096'"),
])
def test_bad_key_options(options, message):
    with pytest.raises(ValueError) as error:
        pki.KeyOptions(**options)
    assert str(error.value) == message


def test_key_options_that_do_not_apply_are_not_checked():
    assert pki.KeyOptions('Ed25519', 'none', 0).key_type == 'Ed25519'


@pytest.mark.parametrize('cas, message', [
    ([dict(name='', common_name='x')], "cas[0] has no name, or one that is not a file name: ''"),
    ([dict(name='a/b', common_name='x')], "cas[0] has no name, or one that is not a file name: 'a/b'"),
    ([dict(name='..', common_name='x')], "cas[0] has no name, or one that is not a file name: '..'"),
    ([dict(name='a', common_name='')], 'CA a has no common_name'),
    ([dict(name='a', common_name='x'), dict(name='a', common_name='y')], 'CA a is given twice'),
])
def test_bad_cas(cas, message):
    with pytest.raises(ValueError) as error:
        pki.checked_cas(cas)
    assert str(error.value).startswith(message)


def certificate(**changes):
    return dict(dict(name='admin', ca='kubernetes', cn='admin', o='', usages=['clientAuth'], sans=[]), **changes)


@pytest.mark.parametrize('certificates, message', [
    (['admin'], 'certificates[0] is not a dictionary'),
    ([dict(ca='kubernetes', cn='x', usages=[])], 'certificates[0] has no name (a string)'),
    ([certificate(), certificate(name=5)], 'certificates[1] has no name (a string)'),
    ([certificate(name='/etc/admin')], 'certificate /etc/admin: name must be a path under path, without empty, "." or ".." parts'),
    ([certificate(name='../admin')], 'certificate ../admin: name must be a path under path'),
    ([certificate(name='etcd//admin')], 'certificate etcd//admin: name must be a path under path'),
    ([certificate(name='etcd/')], 'certificate etcd/: name must be a path under path'),
    ([certificate(ca='front-proxy')], "certificate admin: ca 'front-proxy' is not one of the cas (kubernetes, etcd)"),
    ([certificate(ca=None)], "certificate admin: ca None is not one of the cas (kubernetes, etcd)"),
    ([certificate(cn='')], 'certificate admin has no cn'),
    ([certificate(cn=['admin'])], 'certificate admin has no cn'),
    ([certificate(o=['system:masters'])], "certificate admin: o must be a string, not ['system:masters']"),
    ([certificate(usages='clientAuth')], "certificate admin: usages must be a list of clientAuth or serverAuth, not 'clientAuth'"),
    ([certificate(usages=None)], 'certificate admin: usages must be a list of clientAuth or serverAuth, not None'),
    ([certificate(usages=['clientAuth', 'codeSigning'])], "certificate admin: usage 'codeSigning' is not clientAuth or serverAuth"),
    ([certificate(usages=[{'a': 1}])], "certificate admin: usage {'a': 1} is not clientAuth or serverAuth"),
    ([certificate(sans='DNS:admin')], "certificate admin: sans must be a list of DNS:<name> and IP:<address>, not 'DNS:admin'"),
    ([certificate(sans=['admin.example.com'])], "certificate admin: SAN 'admin.example.com' is not DNS:<name> or IP:<address>"),
    ([certificate(sans=['email:a@example.com'])], "certificate admin: SAN 'email:a@example.com' is not DNS:<name> or IP:<address>"),
    ([certificate(sans=[5])], 'certificate admin: SAN 5 is not DNS:<name> or IP:<address>'),
    ([certificate(sans=['DNS:'])], "certificate admin: SAN 'DNS:' has no name"),
    ([certificate(sans=[u'DNS:b\u00fccher.example'])], 'is not ASCII: write an international name as IDNA (xn--...)'),
    ([certificate(sans=['IP:10.0.0.256'])], "certificate admin: SAN 'IP:10.0.0.256' is not an IP address: "),
    ([certificate(sans=['IP:10.0.0.1/8'])], "certificate admin: SAN 'IP:10.0.0.1/8' is not an IP address: "),
    ([certificate(sans=['IP:'])], "certificate admin: SAN 'IP:' is not an IP address: "),
    ([certificate(), certificate(cn='other')], 'certificate admin is given twice'),
    ([certificate(name='etcd-ca')], 'certificate etcd-ca would use the files of CA etcd'),
])
def test_bad_certificates(certificates, message):
    with pytest.raises(ValueError) as error:
        pki.checked_certificates(certificates, ['kubernetes', 'etcd'])
    assert message in str(error.value)


def test_names_that_cryptography_refuses():
    """cryptography refuses attributes of more than 64 characters since version 36 or so (openssl_csr_pipe fails on them)."""
    try:
        x509.NameAttribute(NameOID.COMMON_NAME, 'x' * 65)
    except ValueError:
        pass
    else:
        pytest.skip('this cryptography takes attributes of more than 64 characters')
    with pytest.raises(ValueError, match='^CA a: common_name: '):
        pki.checked_cas([dict(name='a', common_name='x' * 65)])
    with pytest.raises(ValueError, match='^certificate admin: cn or o: '):
        pki.checked_certificates([certificate(cn='x' * 65)], ['kubernetes'])


def test_certificates_are_read_as_the_role_gives_them():
    spec = pki.checked_certificates([certificate(name='etcd/server-node1', ca='etcd', o=None, usages=['serverAuth', 'clientAuth'],
                                                 sans=['DNS:node1', 'IP:192.0.2.11', 'IP:fd00::0:1', 'IP:10.0.0.0/8'],
                                                 hosts=['node1'], dest='etcd/server')],
                                    ['kubernetes', 'etcd'])[0]
    assert (spec.name, spec.stem, spec.ca) == ('etcd/server-node1', 'etcd/server-node1', 'etcd')
    assert spec.subject == name((NameOID.COMMON_NAME, 'admin'))
    assert [extension.oid for extension in spec.extensions] == [ExtensionOID.SUBJECT_ALTERNATIVE_NAME, ExtensionOID.KEY_USAGE,
                                                                ExtensionOID.EXTENDED_KEY_USAGE]
    assert [pki.general_name_text(general_name) for general_name in spec.extensions[0].value] == [
        'DNS:node1', 'IP:192.0.2.11', 'IP:fd00::1', 'IP:10.0.0.0/8']
    assert list(spec.extensions[2].value) == [SERVER_AUTH, CLIENT_AUTH]


def test_certificate_without_usages_and_names_expects_key_usage_only():
    spec = pki.checked_certificates([certificate(usages=[], sans=None)], ['kubernetes'])[0]
    assert [extension.oid for extension in spec.extensions] == [ExtensionOID.KEY_USAGE]


# ---------------------------------------------------------------------------------------------
# the helpers, on what the PKIs above do not have


def test_signature_of_a_key_type_the_role_does_not_make_is_not_verified(ecc):
    public_key = dsa.generate_private_key(1024).public_key()
    assert pki.signed_by(ecc.certificate('admin'), public_key) is False


@pytest.mark.parametrize('key_type', ['RSA', 'ECC', 'Ed25519'])
def test_signature_of_another_key_type_is_not_verified(tmp_path, key_type):
    made = Pki(tmp_path, key_type='Ed25519' if key_type != 'Ed25519' else 'ECC')
    assert pki.signed_by(made.certificate('admin'), new_key(key_type).public_key()) is False


def test_not_after_of_cryptography_before_42():
    class OldCertificate(object):
        not_valid_after = datetime.datetime(2030, 5, 6, 7, 8, 9)

    value = pki.not_valid_after(OldCertificate())
    assert value.utcoffset() == datetime.timedelta(0)
    assert pki.iso_8601(value) == '2030-05-06T07:08:09Z'


def test_general_names_the_role_does_not_make_are_shown_by_type():
    assert pki.general_name_text(x509.RFC822Name('a@example.com')) == 'RFC822Name:a@example.com'


def test_without_cryptography(monkeypatch):
    monkeypatch.setitem(sys.modules, 'cryptography', None)
    try:
        reload_module(pki)
        assert pki.HAS_CRYPTOGRAPHY is False
        assert 'cryptography' in pki.CRYPTOGRAPHY_IMPORT_ERROR
    finally:
        monkeypatch.undo()
        reload_module(pki)
    assert pki.HAS_CRYPTOGRAPHY is True
