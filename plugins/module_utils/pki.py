# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which of the CAs and certificates that the pki role makes with community.crypto must be
made again, read from the files alone in one pass (nothing is written).

A CA or certificate is current only when community.crypto's modules, run as the role runs
them, would leave it as it is: openssl_privatekey (type, curve or size, no passphrase; the file
format is not compared, as the role keeps format=auto_ignore), openssl_csr_pipe (the subject
and the extensions it would put in a new request) and x509_certificate (the request's subject
and extensions in the certificate, each extension with the same criticality and value; a
subjectKeyIdentifier of the certificate's key; for provider ownca an authorityKeyIdentifier of
the CA and a signature of the CA; for selfsigned a signature of its own key). It is stricter
than they are where they would rather fix a file than remake it (file modes) or where they do
not look (the issuer of a self-signed CA): such a CA or certificate is reported stale, and the
role's community.crypto tasks then decide what to change. Timestamps are not compared, as
x509_certificate does not compare them (ignore_timestamps).

Runs on the controller's Python 3, and needs the Python cryptography library (3.x or later);
its newer APIs are only used with a fallback for older versions."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import datetime
import errno
import os
import stat
import traceback

from ansible.module_utils.common.text.converters import to_native, to_text
from ansible.module_utils.six import string_types

CRYPTOGRAPHY_IMPORT_ERROR = None
try:
    import ipaddress

    from cryptography import x509
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
    from cryptography.hazmat.backends import default_backend
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
    from cryptography.x509.oid import ExtensionOID, NameOID
except ImportError:
    CRYPTOGRAPHY_IMPORT_ERROR = traceback.format_exc()
    HAS_CRYPTOGRAPHY = False
else:
    HAS_CRYPTOGRAPHY = True

KEY_MODE = 0o600
CERTIFICATE_MODE = 0o644

KEY_TYPES = ('ECC', 'RSA', 'Ed25519')
KEY_CURVES = ('secp256r1', 'secp384r1', 'secp521r1')

# extended key usages the role gives, and their OIDs
USAGES = {
    'clientAuth': '1.3.6.1.5.5.7.3.2',
    'serverAuth': '1.3.6.1.5.5.7.3.1',
}
USAGE_NAMES = dict((oid, name) for name, oid in USAGES.items())

# key usage bits: cryptography's attribute, and the name openssl_csr takes
KEY_USAGE_BITS = (
    ('digital_signature', 'digitalSignature'),
    ('content_commitment', 'nonRepudiation'),
    ('key_encipherment', 'keyEncipherment'),
    ('data_encipherment', 'dataEncipherment'),
    ('key_agreement', 'keyAgreement'),
    ('key_cert_sign', 'keyCertSign'),
    ('crl_sign', 'cRLSign'),
    ('encipher_only', 'encipherOnly'),
    ('decipher_only', 'decipherOnly'),
)
CA_KEY_USAGE = ('digital_signature', 'key_cert_sign', 'crl_sign')
CERTIFICATE_KEY_USAGE = ('digital_signature', 'key_encipherment')

# names of extensions in reasons, by dotted OID (others are written as their OID)
EXTENSION_NAMES = {
    '2.5.29.14': 'subjectKeyIdentifier',
    '2.5.29.15': 'keyUsage',
    '2.5.29.17': 'subjectAltName',
    '2.5.29.19': 'basicConstraints',
    '2.5.29.35': 'authorityKeyIdentifier',
    '2.5.29.37': 'extendedKeyUsage',
}

SAN_PREFIXES = ('DNS:', 'IP:')


class Stale(Exception):
    """A CA or certificate that must be made again; reason says why, in a few words."""

    def __init__(self, reason):
        super(Stale, self).__init__(reason)
        self.reason = reason


class KeyOptions(object):
    """The key every CA and certificate must have: its type, and its curve (ECC) or size (RSA)."""

    def __init__(self, key_type='ECC', key_curve='secp256r1', key_size=4096):
        if key_type not in KEY_TYPES:
            raise ValueError('key_type must be one of %s, not %r' % (', '.join(KEY_TYPES), key_type))
        if key_type == 'ECC' and key_curve not in KEY_CURVES:
            raise ValueError('key_curve must be one of %s, not %r' % (', '.join(KEY_CURVES), key_curve))
        if key_type == 'RSA' and (not isinstance(key_size, int) or key_size < 1):
            raise ValueError('key_size must be a number of bits (4096), not %r' % (key_size,))
        self.key_type = key_type
        self.key_curve = key_curve
        self.key_size = key_size


class CaSpec(object):
    """A CA: files <name>-ca.key and <name>-ca.crt; the subject and the extensions (but the
    subjectKeyIdentifier) of its certificate, as the role's community.crypto tasks make them.

    ValueError when cryptography refuses common_name (more than 64 characters)."""

    def __init__(self, name, common_name):
        self.name = name
        self.stem = name + '-ca'
        self.subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, to_text(common_name))])
        # openssl_csr_pipe: basic_constraints [CA:TRUE] and key_usage, both critical
        self.extensions = [
            x509.Extension(ExtensionOID.BASIC_CONSTRAINTS, True, x509.BasicConstraints(ca=True, path_length=None)),
            x509.Extension(ExtensionOID.KEY_USAGE, True, key_usage(CA_KEY_USAGE)),
        ]


class CertificateSpec(object):
    """A certificate: files <name>.key and <name>.crt, signed by the CA named ca; the subject and
    the extensions (but the subjectKeyIdentifier and authorityKeyIdentifier) of its certificate,
    as the role's community.crypto tasks make them. sans are cryptography GeneralNames.

    ValueError when cryptography refuses cn or o (more than 64 characters)."""

    def __init__(self, name, ca, cn, o, usages, sans):
        self.name = name
        self.stem = name
        self.ca = ca
        # openssl_csr_pipe orders the attributes it is given: O before CN
        attributes = [x509.NameAttribute(NameOID.COMMON_NAME, to_text(cn))]
        if o:
            attributes.insert(0, x509.NameAttribute(NameOID.ORGANIZATION_NAME, to_text(o)))
        self.subject = x509.Name(attributes)
        # openssl_csr_pipe: subject_alt_name (omitted when empty), key_usage, extended_key_usage, none critical
        self.extensions = []
        if sans:
            self.extensions.append(x509.Extension(ExtensionOID.SUBJECT_ALTERNATIVE_NAME, False, x509.SubjectAlternativeName(sans)))
        self.extensions.append(x509.Extension(ExtensionOID.KEY_USAGE, False, key_usage(CERTIFICATE_KEY_USAGE)))
        if usages:
            oids = [x509.ObjectIdentifier(USAGES[usage]) for usage in usages]
            self.extensions.append(x509.Extension(ExtensionOID.EXTENDED_KEY_USAGE, False, x509.ExtendedKeyUsage(oids)))


def key_usage(bits):
    """A keyUsage value with the given bits (cryptography's attribute names) set."""
    return x509.KeyUsage(**dict((attribute, attribute in bits) for attribute, _name in KEY_USAGE_BITS))


# ---------------------------------------------------------------------------------------------
# the options, checked


def _text(value):
    return isinstance(value, string_types) and bool(value)


def _relative_name(name):
    """A name that makes a file under path: relative, no empty, '.' or '..' component."""
    return not name.startswith('/') and all(part not in ('', '.', '..') for part in name.split('/'))


def checked_cas(cas):
    """The CAs, as CaSpec; ValueError naming the CA and what is wrong with it."""
    specs = []
    for index, ca in enumerate(cas):
        name = ca.get('name')
        if not _text(name) or '/' in name or name in ('.', '..'):
            raise ValueError('cas[%d] has no name, or one that is not a file name: %r' % (index, name))
        if not _text(ca.get('common_name')):
            raise ValueError('CA %s has no common_name' % name)
        if name in [spec.name for spec in specs]:
            raise ValueError('CA %s is given twice' % name)
        try:
            specs.append(CaSpec(name, ca['common_name']))
        except ValueError as error:
            raise ValueError('CA %s: common_name: %s' % (name, to_native(error)))
    return specs


def san_name(text):
    """The GeneralName of DNS:<name> or IP:<address>, as openssl_csr_pipe makes it; ValueError otherwise."""
    if not isinstance(text, string_types) or not text.startswith(SAN_PREFIXES):
        raise ValueError('SAN %r is not DNS:<name> or IP:<address>' % (text,))
    if text.startswith('DNS:'):
        name = to_text(text[4:])
        if not name:
            raise ValueError('SAN %r has no name' % (text,))
        try:
            name.encode('ascii')
        except UnicodeError:
            raise ValueError('SAN %r is not ASCII: write an international name as IDNA (xn--...)' % (text,))
        return x509.DNSName(name)
    address = to_text(text[3:])
    try:
        if '/' in address:
            return x509.IPAddress(ipaddress.ip_network(address))
        return x509.IPAddress(ipaddress.ip_address(address))
    except ValueError as error:
        raise ValueError('SAN %r is not an IP address: %s' % (text, to_native(error)))


def checked_certificate(index, item, ca_names):
    """One certificate of the option, as CertificateSpec; ValueError naming it and what is wrong."""
    if not isinstance(item, dict):
        raise ValueError('certificates[%d] is not a dictionary' % index)
    name = item.get('name')
    if not _text(name):
        raise ValueError('certificates[%d] has no name (a string)' % index)
    if not _relative_name(name):
        raise ValueError('certificate %s: name must be a path under path, without empty, "." or ".." parts' % name)
    ca = item.get('ca')
    if ca not in ca_names:
        raise ValueError('certificate %s: ca %r is not one of the cas (%s)' % (name, ca, ', '.join(ca_names)))
    cn = item.get('cn')
    if not _text(cn):
        raise ValueError('certificate %s has no cn' % name)
    o = item.get('o') or ''
    if not isinstance(o, string_types):
        raise ValueError('certificate %s: o must be a string, not %r' % (name, o))
    usages = item.get('usages')
    if not isinstance(usages, list):
        raise ValueError('certificate %s: usages must be a list of %s, not %r' % (name, ' or '.join(sorted(USAGES)), usages))
    for usage in usages:
        if not isinstance(usage, string_types) or usage not in USAGES:
            raise ValueError('certificate %s: usage %r is not %s' % (name, usage, ' or '.join(sorted(USAGES))))
    sans = item.get('sans') or []
    if not isinstance(sans, list):
        raise ValueError('certificate %s: sans must be a list of DNS:<name> and IP:<address>, not %r' % (name, sans))
    try:
        names = [san_name(san) for san in sans]
    except ValueError as error:
        raise ValueError('certificate %s: %s' % (name, to_native(error)))
    try:
        return CertificateSpec(name, ca, cn, o, usages, names)
    except ValueError as error:
        raise ValueError('certificate %s: cn or o: %s' % (name, to_native(error)))


def checked_certificates(certificates, ca_names):
    """The certificates, as CertificateSpec; ValueError naming the certificate and what is wrong."""
    specs = []
    ca_stems = set(name + '-ca' for name in ca_names)
    for index, item in enumerate(certificates):
        spec = checked_certificate(index, item, ca_names)
        if spec.stem in ca_stems:
            raise ValueError('certificate %s would use the files of CA %s' % (spec.name, spec.stem[:-3]))
        if spec.name in [other.name for other in specs]:
            raise ValueError('certificate %s is given twice' % spec.name)
        specs.append(spec)
    return specs


# ---------------------------------------------------------------------------------------------
# the files


def file_status(path, what, mode=None):
    """Fails with Stale when path is no regular file, cannot be looked at, or (mode given) has another mode."""
    try:
        status = os.stat(path)
    except OSError as error:
        if error.errno == errno.ENOENT:
            raise Stale('%s %s is missing' % (what, path))
        raise Stale('%s %s cannot be read: %s' % (what, path, to_native(error.strerror or error)))
    if not stat.S_ISREG(status.st_mode):
        raise Stale('%s %s is not a file' % (what, path))
    if mode is not None and stat.S_IMODE(status.st_mode) != mode:
        raise Stale('%s %s has mode %04o, not %04o' % (what, path, stat.S_IMODE(status.st_mode), mode))


def read_file(path, what):
    file_status(path, what)
    try:
        with open(path, 'rb') as stream:
            return stream.read()
    except (IOError, OSError) as error:
        raise Stale('%s %s cannot be read: %s' % (what, path, to_native(error.strerror or error)))


def key_kind(key):
    if isinstance(key, rsa.RSAPrivateKey):
        return 'RSA'
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return 'ECC'
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return 'Ed25519'
    # DSA, Ed448, X25519...: from the class (DSAPrivateKey, or _DSAPrivateKey in cryptography 3.x)
    return type(key).__name__.lstrip('_').replace('PrivateKey', '')


def check_key_type(key, options):
    """Stale unless the key is of the type, and the curve or size, that openssl_privatekey compares."""
    kind = key_kind(key)
    if kind != options.key_type:
        raise Stale('the key is %s, not %s' % (kind, options.key_type))
    if kind == 'ECC' and key.curve.name != options.key_curve:
        raise Stale('the key is on curve %s, not %s' % (key.curve.name, options.key_curve))
    if kind == 'RSA' and key.key_size != options.key_size:
        raise Stale('the key has %d bits, not %d' % (key.key_size, options.key_size))


def load_key(path, options):
    """The private key in path: an unencrypted PEM key of the wanted type in a file of mode 0600; else Stale."""
    data = read_file(path, 'key')
    try:
        key = serialization.load_pem_private_key(data, None, default_backend())
    except TypeError:
        raise Stale('the key %s is encrypted' % path)
    except (ValueError, UnsupportedAlgorithm) as error:
        raise Stale('the key %s is no PEM private key that can be read: %s' % (path, to_native(error)))
    check_key_type(key, options)
    file_status(path, 'key', KEY_MODE)
    return key


def load_certificate(path):
    """The PEM certificate in path, every part of it parsed (a broken one is Stale, not an error later)."""
    data = read_file(path, 'certificate')
    try:
        certificate = x509.load_pem_x509_certificate(data, default_backend())
        certificate.public_key()
        list(certificate.extensions)
        certificate.subject.rfc4514_string()
        certificate.issuer.rfc4514_string()
        not_valid_after(certificate)
    except Exception as error:
        raise Stale('certificate %s is no PEM certificate that can be read: %s' % (path, to_native(error)))
    return certificate


def not_valid_after(certificate):
    """The end of the certificate's validity, an aware UTC datetime (not_valid_after_utc came with cryptography 42)."""
    value = getattr(certificate, 'not_valid_after_utc', None)
    if value is None:
        value = certificate.not_valid_after.replace(tzinfo=datetime.timezone.utc)
    return value


def iso_8601(value):
    return value.strftime('%Y-%m-%dT%H:%M:%SZ')


# ---------------------------------------------------------------------------------------------
# the certificates, compared


def public_key_bytes(key):
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def signed_by(certificate, public_key):
    """Whether public_key verifies the certificate's signature, as community.crypto verifies it
    (RSA with PKCS#1 v1.5 padding, ECDSA, Ed25519), with the certificate's signature hash."""
    signature, data = certificate.signature, certificate.tbs_certificate_bytes
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, data, padding.PKCS1v15(), certificate.signature_hash_algorithm)
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(certificate.signature_hash_algorithm))
        elif isinstance(public_key, ed25519.Ed25519PublicKey):
            public_key.verify(signature, data)
        else:
            return False
    except (InvalidSignature, UnsupportedAlgorithm, TypeError, ValueError):
        return False
    return True


def extension_name(oid):
    return EXTENSION_NAMES.get(oid.dotted_string, oid.dotted_string)


def general_name_text(name):
    if isinstance(name, x509.DNSName):
        return 'DNS:%s' % name.value
    if isinstance(name, x509.IPAddress):
        return 'IP:%s' % name.value
    return '%s:%s' % (type(name).__name__, name.value)


def extension_text(extension):
    """The extension's name and value, in a few words; with (critical) when it is."""
    value = extension.value
    if isinstance(value, x509.SubjectAlternativeName):
        text = ', '.join(general_name_text(name) for name in value) or 'with no names'
    elif isinstance(value, x509.KeyUsage):
        bits = []
        for attribute, name in KEY_USAGE_BITS:
            try:
                if getattr(value, attribute):
                    bits.append(name)
            except ValueError:  # encipher_only and decipher_only, read without key_agreement
                pass
        text = ', '.join(bits) or 'with no usage'
    elif isinstance(value, x509.ExtendedKeyUsage):
        text = ', '.join(USAGE_NAMES.get(oid.dotted_string, oid.dotted_string) for oid in value) or 'with no usage'
    elif isinstance(value, x509.BasicConstraints):
        text = 'CA:%s' % ('TRUE' if value.ca else 'FALSE')
        if value.path_length is not None:
            text += ', pathlen:%d' % value.path_length
    else:
        text = ''
    text = ' '.join(part for part in (extension_name(extension.oid), text) if part)
    return text + (' (critical)' if extension.critical else '')


def compare_extensions(certificate, wanted, others):
    """Stale unless the certificate has exactly the wanted extensions (same criticality and value),
    besides the extensions whose OIDs are in others, which are compared on their own."""
    wanted_by_oid = dict((extension.oid, extension) for extension in wanted)
    present = [extension for extension in certificate.extensions if extension.oid not in others]
    for extension in present:
        want = wanted_by_oid.get(extension.oid)
        if want is None:
            raise Stale('it has an extension that the role does not make: %s' % extension_text(extension))
        if extension != want:
            raise Stale('it has %s, not %s' % (extension_text(extension), extension_text(want)))
    present_oids = set(extension.oid for extension in present)
    for want in wanted:
        if want.oid not in present_oids:
            raise Stale('it lacks %s' % extension_text(want))


def check_subject_key_identifier(certificate):
    """Stale unless the certificate has the subjectKeyIdentifier x509_certificate makes for its key."""
    try:
        extension = certificate.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_KEY_IDENTIFIER)
    except x509.ExtensionNotFound:
        raise Stale('it has no subjectKeyIdentifier extension')
    if extension.value.digest != x509.SubjectKeyIdentifier.from_public_key(certificate.public_key()).digest:
        raise Stale('its subjectKeyIdentifier is not that of its key')


def check_authority_key_identifier(certificate, ca_certificate):
    """Stale unless the certificate has the authorityKeyIdentifier x509_certificate makes from the
    CA's subjectKeyIdentifier (a current CA has one)."""
    ca_key_identifier = ca_certificate.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_KEY_IDENTIFIER).value
    wanted = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_key_identifier)
    try:
        extension = certificate.extensions.get_extension_for_oid(ExtensionOID.AUTHORITY_KEY_IDENTIFIER)
    except x509.ExtensionNotFound:
        raise Stale('it has no authorityKeyIdentifier extension')
    if extension.value != wanted:
        raise Stale('its authorityKeyIdentifier is not that of its CA')


def check_owner(certificate, key):
    if public_key_bytes(certificate.public_key()) != public_key_bytes(key.public_key()):
        raise Stale('the certificate is not that of the key')


def name_text(name):
    """A name with its attributes in the certificate's order, as OpenSSL once wrote them: /O=system:masters/CN=admin."""
    return ''.join('/' + attribute.rfc4514_string() for attribute in name) or 'empty'


def check_subject(certificate, wanted):
    if certificate.subject != wanted:
        raise Stale('its subject is %s, not %s' % (name_text(certificate.subject), name_text(wanted)))


def ca_status(path, spec, options):
    """The CA's certificate when the CA is current, else Stale (with the reason)."""
    key = load_key(os.path.join(path, spec.stem + '.key'), options)
    certificate_path = os.path.join(path, spec.stem + '.crt')
    certificate = load_certificate(certificate_path)
    file_status(certificate_path, 'certificate', CERTIFICATE_MODE)
    check_owner(certificate, key)
    check_subject(certificate, spec.subject)
    if certificate.issuer != certificate.subject:
        raise Stale('it is not self-signed: its issuer is %s' % name_text(certificate.issuer))
    if not signed_by(certificate, key.public_key()):
        raise Stale('it is not signed by its own key')
    compare_extensions(certificate, spec.extensions, (ExtensionOID.SUBJECT_KEY_IDENTIFIER,))
    check_subject_key_identifier(certificate)
    return certificate


def certificate_status(path, spec, ca_certificate, options):
    """(reason, not_after): why the certificate must be made again (None when it is current), and
    the end of its validity (None when its file cannot be read).

    ca_certificate is the certificate of its CA when that is current, else None."""
    certificate_path = os.path.join(path, spec.stem + '.crt')
    certificate, problem, not_after = None, None, None
    try:
        certificate = load_certificate(certificate_path)
        not_after = iso_8601(not_valid_after(certificate))
    except Stale as stale:
        problem = stale
    if ca_certificate is None:
        return 'its CA is made again', not_after
    try:
        key = load_key(os.path.join(path, spec.stem + '.key'), options)
        if problem is not None:
            raise problem
        file_status(certificate_path, 'certificate', CERTIFICATE_MODE)
        check_owner(certificate, key)
        check_subject(certificate, spec.subject)
        if certificate.issuer != ca_certificate.subject:
            raise Stale('its issuer is %s, not its CA %s' % (name_text(certificate.issuer), name_text(ca_certificate.subject)))
        if not signed_by(certificate, ca_certificate.public_key()):
            raise Stale('it is not signed by its CA %s' % spec.ca)
        compare_extensions(certificate, spec.extensions,
                           (ExtensionOID.SUBJECT_KEY_IDENTIFIER, ExtensionOID.AUTHORITY_KEY_IDENTIFIER))
        check_subject_key_identifier(certificate)
        check_authority_key_identifier(certificate, ca_certificate)
    except Stale as stale:
        return stale.reason, not_after
    return None, not_after


def pki_status(path, cas, certificates, options):
    """What the pki role must make again: stale_cas and stale_certificates (names, in the order
    given), reasons (by name; <name>-ca for a CA) and not_after (by certificate name, ISO 8601 UTC).

    cas and certificates are CaSpec and CertificateSpec; options a KeyOptions."""
    result = dict(stale_cas=[], stale_certificates=[], reasons={}, not_after={})
    ca_certificates = {}
    for spec in cas:
        try:
            ca_certificates[spec.name] = ca_status(path, spec, options)
        except Stale as stale:
            result['stale_cas'].append(spec.name)
            result['reasons'][spec.stem] = stale.reason
    for spec in certificates:
        reason, not_after = certificate_status(path, spec, ca_certificates.get(spec.ca), options)
        if reason is not None:
            result['stale_certificates'].append(spec.name)
            result['reasons'][spec.name] = reason
        if not_after is not None:
            result['not_after'][spec.name] = not_after
    return result
