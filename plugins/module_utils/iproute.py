# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Kernel routes through iproute2's `ip route`: reading them (as JSON where ip
can print it, as text where it cannot, as on EL 7) and building the commands
that change them.

A route here is a dict with the keys dest and table and those of dev, via, src,
metric and proto that it has. Routes read from the kernel always have metric
and proto, with the values ip leaves out of its output filled in: metric 0 and
proto boot (the kernel's defaults for a route added without them)."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json

from ansible_collections.k8s_classic.cluster.plugins.module_utils.addresses import parse_network
from ansible_collections.k8s_classic.cluster.plugins.module_utils.command import fail_command, run_command

# The route attributes that ip_route manages, named as ip's keywords for them.
ROUTE_FIELDS = ('via', 'dev', 'src', 'metric', 'proto')

# The metric the kernel gives a route added without one, by IP version.
DEFAULT_METRIC = {4: 0, 6: 1024}

JSON_FIELDS = {'gateway': 'via', 'dev': 'dev', 'prefsrc': 'src', 'metric': 'metric', 'protocol': 'proto'}
JSON_UNSUPPORTED = 'Option "-j" is unknown'
TABLE_MISSING = 'FIB table does not exist'


def normalize_destination(dest):
    """dest in one canonical form, and its IP version (None for 'default', which has none of its own).

    '10.244.1.5/16' is written '10.244.0.0/16', 'fd00:0::/64' 'fd00::/64', '10.0.0.5' '10.0.0.5/32',
    and any /0 network 'default'. ValueError when dest is neither 'default' nor a CIDR."""
    if dest == 'default':
        return 'default', None
    network = parse_network(dest)
    if network.prefixlen == 0:
        return 'default', network.version
    return str(network), network.version


def kernel_route(dest, table, via=None, dev=None, src=None, metric=None, proto=None):
    """A route read from the kernel, with ip's omitted defaults filled in."""
    route = dict(dest=dest, table=table, via=via, dev=dev, src=src,
                 metric=int(metric or 0), proto=proto or 'boot')
    return dict((key, value) for key, value in route.items() if value is not None)


def parse_json_routes(text, dest, table):
    """The routes in the output of `ip -j route show`."""
    routes = []
    for entry in json.loads(text):
        fields = dict((field, entry[key]) for key, field in JSON_FIELDS.items() if key in entry)
        routes.append(kernel_route(dest, table, **fields))
    return routes


def parse_text_route(line, dest, table):
    """One route line of `ip route show`: "10.244.0.0/16 via 10.0.0.1 dev eth0 proto static metric 100"."""
    tokens = line.split()
    fields = {}
    for keyword, value in zip(tokens, tokens[1:]):
        if keyword in ROUTE_FIELDS and keyword not in fields:
            fields[keyword] = value
    return kernel_route(dest, table, **fields)


def parse_text_routes(text, dest, table):
    """The routes in the output of `ip route show`. Indented lines (the nexthops of a
    multipath route) belong to the route above them and are not routes themselves."""
    return [parse_text_route(line, dest, table)
            for line in text.splitlines() if line.strip() and not line[0].isspace()]


def parse_routes(text, dest, table):
    """The routes in the output of `ip [-j] route show`, whichever of JSON or text ip printed."""
    if text.lstrip().startswith('['):
        return parse_json_routes(text, dest, table)
    return parse_text_routes(text, dest, table)


def route_matches(route, want, fields=ROUTE_FIELDS):
    """Whether route has every one of fields that want sets (a field set to None is not wanted)."""
    return all(route.get(field) == want[field] for field in fields if want.get(field) is not None)


class IpRoute(object):
    """`ip route` for one IP version (4 or 6): queries that run at once, and commands built for later."""

    def __init__(self, module, version):
        self.module = module
        self._ip = module.get_bin_path('ip', required=True)
        self._family = '-%d' % version

    def show(self, dest, table):
        """The routes to exactly dest in table. A table that does not exist yet has none."""
        argv = [self._ip, '-j', self._family, 'route', 'show', 'table', table, 'exact', dest]
        rc, stdout, stderr = run_command(self.module, argv)
        if rc != 0 and JSON_UNSUPPORTED in stderr:
            argv.remove('-j')
            rc, stdout, stderr = run_command(self.module, argv)
        if rc != 0 and TABLE_MISSING in stderr:
            return []
        if rc != 0:
            fail_command(self.module, argv, rc, stdout, stderr)
        return parse_routes(stdout, dest, table)

    def command(self, action, route):
        """The argument list of `ip route ACTION` (replace, del, ...) for route."""
        argv = [self._ip, self._family, 'route', action, route['dest']]
        for field in ROUTE_FIELDS:
            if route.get(field) is not None:
                argv.extend([field, str(route[field])])
        argv.extend(['table', route['table']])
        return argv
