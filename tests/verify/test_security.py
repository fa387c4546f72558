"""Nothing answers an unauthenticated client: apiserver, kubelet and etcd refuse it. Secrets are
encrypted in etcd with a key only the masters hold; the apiserver keeps an audit log of who did
what, without bodies."""
import base64
import json
import time
import uuid

import pytest
import yaml

from conftest import CONFIG_DIR, ETCD, MASTERS, NODES, PKI_DIR, address, host, setting
from helpers import etcdctl

ETCDCTL = etcdctl(PKI_DIR)
PROVIDER = setting("control_plane_secrets_encryption", "secretbox")
AUDIT_LOG = setting("control_plane_audit_log_path", "/var/log/kubernetes/audit.log")

# Runs on a node: an HTTPS request with no client certificate; prints the HTTP status,
# or TLS-REFUSED when the server ends the handshake for want of a certificate.
PROBE = r"""
import ssl, sys, urllib.request, urllib.error
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
try:
    print(urllib.request.urlopen(sys.argv[1], context=ctx, timeout=10).status)
except urllib.error.HTTPError as e:
    print(e.code)
except (ssl.SSLError, ConnectionResetError, urllib.error.URLError) as e:
    print("TLS-REFUSED", e)
"""


# Runs on a cluster host: a TLS 1.2 handshake offering one cipher suite (OpenSSL's name),
# optionally with a client certificate; prints OK and what was agreed, or REFUSED and why.
HANDSHAKE = r"""
import socket, ssl, sys
address, port, cipher = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ctx.set_ciphers(cipher + ":@SECLEVEL=1")
if len(sys.argv) > 5:
    ctx.load_cert_chain(sys.argv[4], sys.argv[5])
try:
    with socket.create_connection((address, port), timeout=10) as raw, ctx.wrap_socket(raw) as tls:
        print("OK", tls.version(), tls.cipher()[0])
except (ssl.SSLError, OSError) as e:
    print("REFUSED", e)
"""
# (name, who probes, address, port, key type of its certificate, client certificate) of every
# TLS server of the cluster: the apiserver on its address (the cluster's ECDSA certificate) and on
# 127.0.0.1 (its own RSA loopback certificate), the controller-manager and scheduler (their own
# self-signed RSA certificates), the kubelets, etcd
ETCD_CLIENT = (PKI_DIR + "/etcd/healthcheck-client.crt", PKI_DIR + "/etcd/healthcheck-client.key")
TLS_SERVERS = (
    [("apiserver " + m, NODES[0], address(m), 6443, "ECDSA", ()) for m in MASTERS]
    + [("apiserver loopback " + m, m, "127.0.0.1", 6443, "RSA", ()) for m in MASTERS]
    + [("controller-manager " + m, m, "127.0.0.1", 10257, "RSA", ()) for m in MASTERS]
    + [("scheduler " + m, m, "127.0.0.1", 10259, "RSA", ()) for m in MASTERS]
    + [("kubelet " + n, NODES[0], address(n), 10250, "ECDSA", ()) for n in NODES]
    + [("etcd " + e, e, "127.0.0.1", 2379, "ECDSA", ETCD_CLIENT) for e in ETCD])
# OpenSSL names: an AEAD suite with ECDHE per key type; CBC suites, and RSA key exchange (no
# forward secrecy), which k8s_tls_cipher_suites leaves out
TLS_GOOD = {"ECDSA": "ECDHE-ECDSA-AES128-GCM-SHA256", "RSA": "ECDHE-RSA-AES128-GCM-SHA256"}
TLS_WEAK = {"ECDSA": ["ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA"],
            "RSA": ["ECDHE-RSA-AES128-SHA", "AES128-GCM-SHA256", "AES256-SHA"]}
TLS_SUITES = ",".join(setting("k8s_tls_cipher_suites", [
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305"]))


def probe(url):
    prober = host(NODES[0])
    return prober.check_output("python3 -c {} {}".format(_q(PROBE), _q(url)))


def _q(text):
    return "'" + text.replace("'", "'\"'\"'") + "'"


@pytest.mark.parametrize("name", MASTERS)
def test_apiserver_refuses_anonymous(name):
    assert probe("https://{}:6443/api/v1/namespaces".format(address(name))).startswith("401")


@pytest.mark.parametrize("name", NODES)
def test_kubelet_refuses_anonymous(name):
    assert probe("https://{}:10250/pods".format(address(name))).startswith("401")


@pytest.mark.parametrize("name", ETCD)
def test_etcd_refuses_clients_without_certificate(name):
    assert probe("https://{}:2379/v2/keys".format(address(name))).startswith("TLS-REFUSED")


@pytest.mark.parametrize("name", MASTERS)
def test_no_insecure_apiserver_port(name):
    assert not host(name).socket("tcp://127.0.0.1:8080").is_listening


def test_a_secret_is_stored_encrypted_in_etcd(kubectl):
    """The value etcd holds for a new Secret is the provider's ciphertext, not the Secret."""
    run = kubectl
    name = "encryption-probe-" + uuid.uuid4().hex[:8]
    marker = "plaintext-" + uuid.uuid4().hex
    assert run("create secret generic", name, "--from-literal=word=" + marker).rc == 0
    try:
        out = host(ETCD[0]).check_output(ETCDCTL + "get /registry/secrets/default/" + name + " -w json")
        raw = base64.b64decode(json.loads(out)["kvs"][0]["value"])
        assert raw.startswith("k8s:enc:{}:v1:key1:".format(PROVIDER).encode()), raw[:40]
        assert marker.encode() not in raw
        assert run("get secret", name, "-o jsonpath='{.data.word}'").stdout == base64.b64encode(marker.encode()).decode()
    finally:
        run("delete secret", name)


def test_every_secret_is_stored_encrypted():
    """Secrets made before encryption was configured were written again (the role rewrites them)."""
    keys = host(ETCD[0]).check_output(ETCDCTL + "get /registry/secrets/ --prefix --keys-only").split()
    assert keys
    for key in keys:
        out = host(ETCD[0]).check_output(ETCDCTL + "get " + key + " -w json")
        raw = base64.b64decode(json.loads(out)["kvs"][0]["value"])
        assert raw.startswith(b"k8s:enc:" + PROVIDER.encode() + b":v1:"), (key, raw[:40])


def test_only_the_masters_hold_the_encryption_key():
    for name in MASTERS:
        for path in (PKI_DIR + "/secrets-encryption.key", CONFIG_DIR + "/encryption-config.yaml"):
            f = host(name).file(path)
            assert f.exists and f.user == "root" and f.mode == 0o600, (name, path)
    for name in sorted(set(NODES + ETCD) - set(MASTERS)):
        assert not host(name).file(PKI_DIR + "/secrets-encryption.key").exists, name


def test_audit_log_records_who_did_what_without_bodies(master, kubectl):
    run = kubectl
    name = "audit-probe-" + uuid.uuid4().hex[:8]
    marker = "body-" + uuid.uuid4().hex
    assert run("create configmap", name, "--from-literal=word=" + marker).rc == 0
    run("delete configmap", name)
    # the apiserver makes the file 0644: the 0700 directory keeps it to root
    directory = master.file(AUDIT_LOG.rsplit("/", 1)[0])
    assert directory.mode == 0o700 and directory.user == "root" and master.file(AUDIT_LOG).user == "root"
    for _attempt in range(10):
        lines = master.run("grep -F %s %s", name, AUDIT_LOG).stdout.splitlines()
        events = [json.loads(line) for line in lines]
        if any(e["verb"] == "create" for e in events):
            break
        time.sleep(1)
    creates = [e for e in events if e["verb"] == "create" and e["objectRef"]["resource"] == "configmaps"]
    assert creates, lines
    assert creates[0]["level"] == "Metadata" and creates[0]["user"]["username"] == "kubernetes-admin", creates[0]
    assert not any("requestObject" in e or "responseObject" in e for e in events)
    assert master.run("grep -c -F %s %s", marker, AUDIT_LOG).stdout.strip() == "0"


@pytest.mark.parametrize("server", TLS_SERVERS, ids=[t[0] for t in TLS_SERVERS])
def test_tls_agrees_on_an_aead_suite_and_refuses_weak_ones(server):
    """Every TLS server of the cluster agrees on an ECDHE AES-GCM suite and refuses CBC suites
    and RSA key exchange. (Go's own defaults refuse most of these too; a component built with
    an older Go, such as EL 7's etcd, would not without the setting.)"""
    _name, prober, target, port, key_type, cert = server
    run = "python3 -c {} {} {} {} {}"
    good = host(prober).check_output(run.format(_q(HANDSHAKE), target, port, TLS_GOOD[key_type], " ".join(cert)))
    assert good == "OK TLSv1.2 " + TLS_GOOD[key_type], good
    for weak in TLS_WEAK[key_type]:
        out = host(prober).check_output(run.format(_q(HANDSHAKE), target, port, weak, " ".join(cert)))
        assert out.startswith("REFUSED"), (weak, out)


def test_tls_settings_are_those_of_the_inventory():
    """What the servers are told: k8s_tls_cipher_suites and k8s_tls_min_version on the
    apiserver's, controller-manager's and scheduler's command line, in the kubelets' settings,
    and in etcd's environment."""
    minimum = setting("k8s_tls_min_version", "VersionTLS12")
    for name in MASTERS:
        for process in ("kube-apiserver", "kube-controller-manager", "kube-scheduler"):
            line = host(name).check_output("cat /proc/$(pgrep -o -f %s)/cmdline | tr '\\0' ' '", process)
            assert "--tls-cipher-suites=" + TLS_SUITES in line and "--tls-min-version=" + minimum in line, (name, process)
    for name in NODES:
        config = yaml.safe_load(host(name).file(CONFIG_DIR + "/kubelet-config.yaml").content_string)
        assert ",".join(config["tlsCipherSuites"]) == TLS_SUITES and config["tlsMinVersion"] == minimum, name
    for name in ETCD:
        env = host(name).check_output("cat /proc/$(pgrep -o -x etcd)/environ | tr '\\0' '\\n'")
        assert "ETCD_CIPHER_SUITES=" + TLS_SUITES in env.splitlines(), name
