"""Certificate renewal (playbooks/renew-certs.yml) on the running cluster, with the CAs kept.

The default scenario converges with certificates valid for two days (pki_cert_valid_for=+2d):
short-lived, as a cluster's are shortly before they expire (on another cluster, every
certificate is first issued again for one day: renew_all=true, pki_cert_valid_for=+1d).
renew-certs.yml with its default threshold (30 days) issues them again for
pki_cert_valid_for (825 days), and another run renews nothing and restarts nothing. While the services restart, one host at
a time, a probe on a node asks the API servers through the node's way to them (its haproxy)
every few tenths of a second: the longest gap is printed. After each renewal every host
holds the new certificates, each service that reads them runs since then, and the nodes are
Ready. Only with K8S_TEST_RENEW=yes (the default scenario sets it): it restarts every service.
"""
import os
from datetime import datetime, timedelta, timezone

import pytest
from cryptography import x509

from conftest import (ALL, INVENTORY, KUBECTL, MASTERS, NODES, PKI_DIR, REGISTRIES, SERVICES, api_probe_gaps,
                      host, start_api_probe)
from helpers import ready_nodes, recap, run_playbook

pytestmark = pytest.mark.skipif(os.environ.get("K8S_TEST_RENEW") != "yes",
                                reason="restarts every service of the cluster: set K8S_TEST_RENEW=yes")

PLAYBOOK = "playbooks/renew-certs.yml"
WORKERS = [n for n in NODES if n not in MASTERS]


def not_after():
    """{(host, path): end of validity} of every certificate on the cluster's hosts but the CAs'
    (the cluster's, etcd's, the front proxy's: those with basicConstraints CA:TRUE)."""
    ends = {}
    for name in sorted(set(ALL + REGISTRIES)):
        node = host(name)
        for path in node.check_output("find %s -name '*.crt'", PKI_DIR).split():
            cert = x509.load_pem_x509_certificate(node.file(path).content_string.encode())
            if is_ca(cert):
                continue
            ends[(name, path)] = cert.not_valid_after_utc
    return ends


def is_ca(cert):
    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def started():
    """{(host, service): InvocationID} of the services that read the certificates."""
    return {(name, service): host(name).check_output("systemctl show -p InvocationID --value %s", service)
            for service, names in SERVICES.items() for name in names}


def renew(*extra_vars):
    """renew-certs.yml with a probe of the API through a node's load balancer meanwhile:
    (result, (answers, failures, longest gap))."""
    probe_node = host(WORKERS[0]) if WORKERS else None
    unit = start_api_probe(probe_node, 900) if probe_node else None
    result = run_playbook(PLAYBOOK, INVENTORY, *extra_vars)
    probe = api_probe_gaps(probe_node, unit) if probe_node else (None, None, None)
    return result, probe


def nodes_ready():
    out = host(MASTERS[0]).check_output(KUBECTL + " get nodes -o json")
    names, ready = ready_nodes(out)
    return names == ready == set(NODES)


def test_renewal_of_short_lived_certificates_keeps_the_cluster_up():
    services = started()
    soon = datetime.now(timezone.utc) + timedelta(days=30)
    before = not_after()
    assert before, "no certificate found"
    if not all(end < soon for end in before.values()):
        # long-lived certificates (a cluster not converged as the default scenario is, with
        # pki_cert_valid_for=+2d): every one of them again, valid for a day
        short, probe = renew("renew_all=true", "pki_cert_valid_for=+1d")
        assert short.returncode == 0, short.stdout[-4000:] + short.stderr[-2000:]
        print("renew-certs.yml, all certificates for one day: {:.0f} s; API through haproxy: {} answers, "
              "{} failures, longest gap {:.1f} s".format(short.seconds, probe[0], probe[1], probe[2] or 0))
        before = not_after()
        assert all(end < soon for end in before.values()), {k: v for k, v in before.items() if v >= soon}
        services = started()

    # the default threshold (30 days): all of them again, for pki_cert_valid_for (825 days)
    renewed, probe = renew()
    assert renewed.returncode == 0, renewed.stdout[-4000:] + renewed.stderr[-2000:]
    print("renew-certs.yml, the certificates within 30 days: {:.0f} s; API through haproxy: {} answers, "
          "{} failures, longest gap {:.1f} s".format(renewed.seconds, probe[0], probe[1], probe[2] or 0))
    later = datetime.now(timezone.utc) + timedelta(days=800)
    ends = not_after()
    assert set(ends) == set(before)
    assert all(end > later for end in ends.values()), {k: v for k, v in ends.items() if v <= later}
    restarted = started()
    assert all(restarted[key] != services[key] for key in services), \
        [key for key in services if restarted[key] == services[key]]
    assert nodes_ready()
    if probe[2] is not None:
        assert probe[2] < 15, probe

    # nothing left to renew: nothing changes, nothing restarts
    again = run_playbook(PLAYBOOK, INVENTORY)
    assert again.returncode == 0, again.stdout[-3000:]
    assert all(c["changed"] == 0 for c in recap(again).values()), recap(again)
    assert started() == restarted
    print("renew-certs.yml with nothing to renew: {:.0f} s".format(again.seconds))
