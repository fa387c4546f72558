"""Nothing answers an unauthenticated client: apiserver, kubelet and etcd refuse it."""
import pytest

from conftest import ETCD, MASTERS, NODES, address, host

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
