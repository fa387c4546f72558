#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
module: pki_status
short_description: Tell which CAs and certificates of the cluster's PKI must be made again
version_added: 0.1.0
description:
  - Reads the CAs and certificates of a PKI directory on the controller in one call, and reports
    which of them the C(pki) role must make (again), and why. It never writes anything; C(changed) is always false.
  - Why it exists - the C(pki) role makes the cluster's CAs and its 10 to 40 certificates on the Ansible controller
    with C(community.crypto) (M(community.crypto.openssl_privatekey), M(community.crypto.openssl_csr_pipe) and
    M(community.crypto.x509_certificate) - three module calls per certificate, one file each). On a re-run where
    nothing must change, these hundred or so calls cost about 45 seconds. C(community.crypto) has no module that
    checks a set of certificates at once; this one does, so that the role loops only over those it reports.
  - It is at least as strict as the idempotence checks of those C(community.crypto) modules, as the role calls them,
    so that skipping what it calls current never leaves something they would have made again. A CA or certificate
    is current only when all of the following hold; anything else makes it stale.
  - The key file (C(<name>-ca.key) for a CA, C(<name>.key) for a certificate) is an unencrypted PEM private key of
    O(key_type) (with O(key_curve) for V(ECC), O(key_size) bits for V(RSA)), of mode V(0600).
  - The certificate file (C(<name>-ca.crt), C(<name>.crt)) is a PEM certificate of mode V(0644), for the public key
    of the key file, with a subjectKeyIdentifier of that key.
  - A CA's certificate has the subject C(CN=<common_name>) and nothing else, is self-signed (its issuer is its
    subject, and its own key verifies its signature), and has exactly these other extensions - basicConstraints
    C(CA:TRUE) (critical, no path length) and keyUsage keyCertSign, cRLSign and digitalSignature (critical).
  - A certificate has the subject C(O=<o>) then C(CN=<cn>), in the order M(community.crypto.openssl_csr_pipe) writes
    them (C(CN=<cn>) alone when C(o) is empty), and nothing else; the subject of its CA's certificate as issuer; a
    signature that the CA certificate's key verifies; an authorityKeyIdentifier of its CA; and exactly these other
    extensions, none of them critical - subjectAltName with the names of C(sans), in that order (none when C(sans) is
    empty), keyUsage digitalSignature and keyEncipherment, and extendedKeyUsage with C(usages), in that order (none
    when C(usages) is empty). A basicConstraints extension (even C(CA:FALSE)), or any other, makes it stale.
  - A certificate whose CA is stale is stale too (its CA is made again).
  - Validity dates are not compared, as M(community.crypto.x509_certificate) does not compare them by default;
    RV(not_after) returns the end of each certificate's validity for who wants to.
author:
  - k8s-classic maintainers (@k8s-classic)
requirements:
  - Python 3 and the Python library cryptography (3.0 or later) on the controller
notes:
  - Runs on the controller, where the role keeps the PKI - give the task C(delegate_to=localhost) and C(run_once=true).
  - Stricter than C(community.crypto) in two places, where those modules would fix a file rather than make it again
    (a file mode), or do not look (the issuer of a self-signed CA). The role then runs its C(community.crypto) tasks
    for that CA or certificate, which decide what to change.
  - Every option is checked before any file is read; a bad certificate entry fails the task naming it.
  - Each key is loaded once, with the consistency check of cryptography, as C(community.crypto) loads it. That costs
    about a millisecond for an ECC key, but up to half a second for a 4096-bit RSA key with OpenSSL 3.
seealso:
  - module: community.crypto.openssl_privatekey
  - module: community.crypto.openssl_csr_pipe
  - module: community.crypto.x509_certificate
attributes:
  check_mode:
    support: full
    description:
      - The module only reads; check mode changes nothing in what it does or returns.
  diff_mode:
    support: none
    description:
      - Nothing changes, so there is no diff.
  platform:
    support: full
    platforms: posix
    description: The Ansible controller (or any host with the PKI directory and the cryptography library).
options:
  path:
    description:
      - The directory of the PKI.
      - A CA O(cas[].name=NAME) has its key in C(<path>/NAME-ca.key) and its certificate in C(<path>/NAME-ca.crt).
      - A certificate C(name=NAME) has its key in C(<path>/NAME.key) and its certificate in C(<path>/NAME.crt);
        C(NAME) may have slashes (V(etcd/server-node1) is C(<path>/etcd/server-node1.key)).
      - When it does not exist, everything is stale.
    type: path
    required: true
  cas:
    description:
      - The CAs, in the order to report them.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description:
          - The name of the CA (its files are C(<name>-ca.key) and C(<name>-ca.crt)), which the C(ca) of certificates refers to.
        type: str
        required: true
      common_name:
        description:
          - The common name (CN) of the CA, its whole subject.
        type: str
        required: true
  certificates:
    description:
      - The certificates, in the order to report them. Each is a dictionary with the keys below; other keys
        (the role's C(hosts) and C(dest)) are ignored.
      - C(name) (string, required) - the file stem under O(path), slashes allowed, no empty, V(.) or V(..) parts;
        unique, and not that of a CA's files (C(<ca>-ca)).
      - C(ca) (string, required) - the O(cas[].name) of the CA that signs it.
      - C(cn) (string, required) - the common name (CN) of its subject.
      - C(o) (string) - the organization (O) of its subject; empty or missing for none.
      - C(usages) (list, required) - its extended key usages, each V(clientAuth) or V(serverAuth); may be empty.
      - C(sans) (list) - its subject alternative names, each C(DNS:<name>) (ASCII, international names as C(xn--))
        or C(IP:<address>) (IPv4 or IPv6; C(IP:<network>/<prefix>) for a network); empty or missing for none.
    type: list
    elements: dict
    default: []
  key_type:
    description:
      - The type of every key, as M(community.crypto.openssl_privatekey) O(community.crypto.openssl_privatekey#module:type) takes it.
    type: str
    choices: [ECC, RSA, Ed25519]
    default: ECC
  key_curve:
    description:
      - The curve of every key when O(key_type=ECC).
    type: str
    choices: [secp256r1, secp384r1, secp521r1]
    default: secp256r1
  key_size:
    description:
      - The size in bits of every key when O(key_type=RSA); M(community.crypto.openssl_privatekey) makes 4096-bit keys
        unless told otherwise.
    type: int
    default: 4096
'''

EXAMPLES = r'''
- name: Tell which CAs and certificates must be made again
  k8s_classic.cluster.pki_status:
    path: "{{ pki_local_dir }}"
    cas:
      - {name: kubernetes, common_name: "{{ k8s_cluster_name }}-kubernetes-ca"}
      - {name: etcd, common_name: "{{ k8s_cluster_name }}-etcd-ca"}
    certificates: "{{ pki_certificates }}"
    key_type: "{{ pki_key_type }}"
    key_curve: "{{ pki_key_curve }}"
  delegate_to: localhost
  run_once: true
  register: pki_state

- name: Create the certificate keys that must be made again
  community.crypto.openssl_privatekey:
    path: "{{ pki_local_dir }}/{{ item.name }}.key"
    type: "{{ pki_key_type }}"
    curve: "{{ pki_key_curve }}"
    mode: "0600"
  loop: "{{ pki_certificates | selectattr('name', 'in', pki_state.stale_certificates) }}"
  loop_control:
    label: "{{ item.name }} ({{ pki_state.reasons[item.name] }})"
  delegate_to: localhost
  run_once: true

- name: Check a single certificate signed by an RSA CA
  k8s_classic.cluster.pki_status:
    path: /srv/pki
    cas:
      - {name: example, common_name: Example CA}
    certificates:
      - name: web/www
        ca: example
        cn: www.example.com
        o: ""
        usages: [serverAuth]
        sans: [DNS:www.example.com, IP:192.0.2.10]
    key_type: RSA
    key_size: 2048
'''

RETURN = r'''
stale_cas:
  description: The O(cas[].name) of the CAs that must be made again, in the order of O(cas).
  returned: always
  type: list
  elements: str
  sample: [etcd]
stale_certificates:
  description:
    - The C(name) of the certificates that must be made again, in the order of O(certificates).
    - Every certificate of a stale CA is in it.
  returned: always
  type: list
  elements: str
  sample: [etcd/server-node1, apiserver-etcd-client]
reasons:
  description:
    - Why each stale CA or certificate must be made again, in a few words; by C(<name>-ca) for a CA and by name for a certificate.
    - Only stale CAs and certificates are in it.
  returned: always
  type: dict
  sample:
    etcd-ca: certificate /srv/pki/etcd-ca.crt is missing
    etcd/server-node1: its CA is made again
    apiserver: "it has subjectAltName DNS:kubernetes, IP:10.96.0.1, not subjectAltName DNS:kubernetes, IP:10.96.0.1, IP:192.0.2.10"
    admin: "its subject is /O=system:masters/CN=kubernetes-admin, not /O=system:masters/CN=admin"
not_after:
  description:
    - The end of the validity of each certificate whose certificate file could be read (current or not), by name,
      in ISO 8601 UTC (C(YYYY-MM-DDTHH:MM:SSZ)). CAs are not in it.
  returned: always
  type: dict
  sample:
    apiserver: "2028-04-01T09:30:00Z"
'''

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.k8s_classic.cluster.plugins.module_utils.pki import (
    CRYPTOGRAPHY_IMPORT_ERROR,
    HAS_CRYPTOGRAPHY,
    KEY_CURVES,
    KEY_TYPES,
    KeyOptions,
    checked_cas,
    checked_certificates,
    pki_status,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            cas=dict(type='list', elements='dict', required=True, options=dict(
                name=dict(type='str', required=True),
                common_name=dict(type='str', required=True),
            )),
            certificates=dict(type='list', elements='dict', default=[]),
            key_type=dict(type='str', default='ECC', choices=list(KEY_TYPES)),
            key_curve=dict(type='str', default='secp256r1', choices=list(KEY_CURVES)),
            key_size=dict(type='int', default=4096),
        ),
        supports_check_mode=True,
    )
    if not HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib('cryptography'), exception=CRYPTOGRAPHY_IMPORT_ERROR)
    params = module.params
    try:
        options = KeyOptions(params['key_type'], params['key_curve'], params['key_size'])
        cas = checked_cas(params['cas'])
        certificates = checked_certificates(params['certificates'], [ca.name for ca in cas])
    except ValueError as error:
        module.fail_json(msg=to_native(error))
    module.exit_json(changed=False, **pki_status(params['path'], cas, certificates, options))


if __name__ == '__main__':
    main()
