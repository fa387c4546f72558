#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
module: ip_route
short_description: Manage Linux kernel routes with iproute2
version_added: 0.1.0
description:
  - Ensures that a route to a destination is, or is not, in a routing table of the Linux kernel, using C(ip route).
  - Ansible has no maintained module for the kernel routes of a Linux host. C(community.general) has none,
    and C(net_static_route) and the vendor C(*_static_routes) modules configure routers and switches through
    their network CLIs. This module fills that gap for the routes of the cluster overlay, such as the pod
    subnet of each node.
  - Only the attributes the task sets are compared. When one of them differs, the route is replaced
    (C(ip route replace)), and attributes the task does not set go back to the kernel's defaults.
  - Routes to one destination that differ in O(metric) are different kernel routes. Without O(metric)
    the task manages the first route to O(dest) that C(ip route show) lists, and keeps its metric.
    With O(metric) it manages the route with that metric; when there is none, a route with the same
    O(via) and O(dev) but another metric is this route with a changed metric, and is replaced by a
    route with the new metric (added first, then the old one deleted, so the destination stays reachable).
  - Routes are read with C(ip -j) (JSON) where iproute2 supports it, and from its text output otherwise (EL 7).
  - Kernel routes do not survive a reboot. A route set with this module alone is gone after the host restarts,
    unless something re-creates it at boot (the distribution's network configuration, or a unit of your own).
    In this collection the C(ovs_gre) role does that for the overlay's route to the pod range - its
    C(ovs-gre-network) systemd unit (a oneshot service, enabled at boot, that runs C(/usr/local/sbin/ovs-gre-network)
    written from the role's C(ovs-gre-network.j2) template) re-creates the route (and the bridges and addresses
    it needs) at every boot, and the role runs this module so that a changed route is put right at once.
author:
  - k8s-classic maintainers (@k8s-classic)
extends_documentation_fragment:
  - k8s_classic.cluster.module_attributes
requirements:
  - iproute2 (the C(ip) command)
notes:
  - Multipath routes (several C(nexthop)s) are not supported; such a route is replaced by a single-path one.
attributes:
  diff_mode:
    support: full
    description:
      - Shows the routes to O(dest) in O(table) before and after, in the kernel's order and with the values the
        kernel fills in (metric, V(proto=boot)), so that only the route that changes shows as changed.
        The device the kernel picks for a route given only O(via) is not predicted.
  platform:
    description: Linux hosts with iproute2.
options:
  dest:
    description:
      - The destination network, in CIDR notation (V(10.244.0.0/16), V(fd00:10:244::/56)) or V(default).
      - Host bits are dropped (V(10.244.1.5/16) means V(10.244.0.0/16)), and a V(/0) network means V(default).
      - V(default) is the IPv4 default route unless O(via) or O(src) is an IPv6 address; or use V(::/0).
    type: str
    required: true
  dev:
    description:
      - The output device of the route.
      - O(state=present) needs O(dev), O(via) or both.
    type: str
  via:
    description:
      - The gateway (next hop) address; of the same IP version as O(dest).
    type: str
  src:
    description:
      - The source address to prefer for traffic the host sends along the route.
    type: str
  metric:
    description:
      - The metric (preference; lower wins) of the route.
      - When not set, a route that exists keeps its metric, and a new one gets the kernel's default
        (0 for IPv4, 1024 for IPv6).
      - For IPv6, V(0) means 1024, as the kernel stores an IPv6 route added with metric 0 with 1024.
      - From 0 to 4294967295.
    type: int
  table:
    description:
      - The routing table, by name (from C(/etc/iproute2/rt_tables)) or number.
      - V(0), V(all) and V(unspec) are refused - C(ip route show table 0) lists the routes of every table,
        so they name no table that a route could be compared in or deleted from.
    type: str
    default: main
  proto:
    description:
      - The routing protocol that the route is marked with, by name as C(ip route) prints it (V(static), V(boot)...).
      - When not set, the route's protocol is not compared, and a new or replaced route gets V(boot).
    type: str
  state:
    description:
      - V(present) to ensure the route is in the table as described.
      - V(absent) to remove the routes to O(dest) that have the attributes this task sets
        (all routes to O(dest) in O(table) when it sets none).
    type: str
    choices: [present, absent]
    default: present
'''

EXAMPLES = r'''
- name: Route the pod subnet of another node through the overlay bridge
  k8s_classic.cluster.ip_route:
    dest: 10.244.2.0/24
    dev: kbr0
    src: 10.244.1.1

- name: Route a network through a gateway, with a metric, in table 100
  k8s_classic.cluster.ip_route:
    dest: 192.168.50.0/24
    via: 10.0.0.254
    metric: 100
    table: "100"

- name: IPv6 default route
  k8s_classic.cluster.ip_route:
    dest: default
    via: fd00::1
    dev: eth0

- name: Remove the route to a subnet
  k8s_classic.cluster.ip_route:
    dest: 10.244.3.0/24
    state: absent
'''

RETURN = r'''
commands:
  description: The C(ip) commands run, or in check mode those that would run, in order.
  returned: always
  type: list
  elements: str
  sample:
    - /usr/sbin/ip -4 route replace 10.244.2.0/24 dev kbr0 src 10.244.1.1 metric 0 table main
route:
  description:
    - The route as the task leaves it; empty for O(state=absent).
    - When nothing changed, the kernel's route, with all of its attributes; otherwise the requested one.
  returned: always
  type: dict
  contains:
    dest:
      description: The destination, normalized.
      type: str
      sample: 10.244.2.0/24
    table:
      description: The routing table.
      type: str
      sample: main
    via:
      description: The gateway.
      type: str
      returned: when the route has one
      sample: 10.0.0.254
    dev:
      description: The output device.
      type: str
      returned: when known
      sample: kbr0
    src:
      description: The preferred source address.
      type: str
      returned: when the route has one
      sample: 10.244.1.1
    metric:
      description: The metric.
      type: int
      sample: 0
    proto:
      description: The routing protocol.
      type: str
      sample: boot
'''

import re

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.k8s_classic.cluster.plugins.module_utils.addresses import checked_address
from ansible_collections.k8s_classic.cluster.plugins.module_utils.command import run_changes
from ansible_collections.k8s_classic.cluster.plugins.module_utils.iproute import (
    DEFAULT_METRIC,
    IpRoute,
    kernel_route,
    normalize_destination,
    route_matches,
)

# Tables that `ip route` reads as "every table": no route is in them.
ALL_TABLES = ('all', 'unspec')
NUMBER = re.compile(r'^(?:0[xX][0-9a-fA-F]+|[0-9]+)$')
MAX_METRIC = 0xffffffff


def checked_destination(module):
    """dest, normalized, and its IP version (None for 'default')."""
    try:
        return normalize_destination(module.params['dest'])
    except ValueError as error:
        module.fail_json(msg="dest must be a network in CIDR notation or 'default': %s" % error)


def checked_table(module):
    """table, unless it is one that ip reads as every table (0, all, unspec)."""
    table = module.params['table']
    number = NUMBER.match(table.strip()) and int(table.strip(), 16 if table.strip()[:2].lower() == '0x' else 10)
    if not table.strip() or table.strip().lower() in ALL_TABLES or number == 0:
        module.fail_json(msg='table %r names no routing table: ip reads 0, all and unspec as every table; '
                             'give a table by name (main) or by a number from 1' % table)
    return table


def checked_metric(module, version):
    """metric, with IPv6's 0 written as the 1024 that the kernel stores for it."""
    metric = module.params['metric']
    if metric is None:
        return None
    if not 0 <= metric <= MAX_METRIC:
        module.fail_json(msg='metric must be a number from 0 to %d, not %d' % (MAX_METRIC, metric))
    if version == 6 and metric == 0:
        return DEFAULT_METRIC[6]
    return metric


def wanted_route(module):
    """The route the task describes, and its IP version."""
    table = checked_table(module)
    dest, dest_version = checked_destination(module)
    via, via_version = checked_address(module, 'via')
    src, src_version = checked_address(module, 'src')
    versions = set(version for version in (dest_version, via_version, src_version) if version)
    if len(versions) > 1:
        module.fail_json(msg='dest, via and src must all be IPv4 or all IPv6 (dest=%s via=%s src=%s)' % (dest, via, src))
    version = versions.pop() if versions else 4
    want = dict(dest=dest, table=table, via=via, dev=module.params['dev'], src=src,
                metric=checked_metric(module, version), proto=module.params['proto'])
    return want, version


def route_to_replace(routes, want):
    """Of the kernel's routes to the destination, the one this task is about, or None."""
    if want['metric'] is None:
        return routes[0] if routes else None
    for route in routes:
        if route['metric'] == want['metric']:
            return route
    for route in routes:
        if route_matches(route, want, fields=('via', 'dev')):
            return route
    return None


def requested_route(want, current, version):
    """The route to put in the kernel: what the task sets, and the metric of current (or the
    kernel's default metric) when the task does not set one."""
    route = dict((key, value) for key, value in want.items() if value is not None)
    if want['metric'] is None:
        route['metric'] = current['metric'] if current else DEFAULT_METRIC[version]
    return route


def as_kernel_has_it(route):
    """route as the kernel will list it: with the protocol it gives a route added without one (boot)."""
    return kernel_route(**route)


def replace_commands(iproute, route, current):
    """Put route in the kernel; when that changes the metric, delete the route of the old metric after."""
    commands = [iproute.command('replace', route)]
    if current is not None and current['metric'] != route['metric']:
        commands.append(iproute.command('del', current))
    return commands


def ensure_present(iproute, routes, want, version):
    """The route the task leaves, the commands that get there, and the routes to dest afterwards."""
    current = route_to_replace(routes, want)
    if current is not None and route_matches(current, want):
        return current, [], routes
    route = requested_route(want, current, version)
    after = as_kernel_has_it(route)
    # the route takes the place of the one it replaces, so that the diff shows that one line changed
    routes_after = [after if other is current else other for other in routes]
    if current is None:
        routes_after.append(after)
    return after, replace_commands(iproute, route, current), routes_after


def ensure_absent(iproute, routes, want):
    """No route, the commands that delete the routes the task describes, and the routes to dest afterwards."""
    doomed = [route for route in routes if route_matches(route, want)]
    routes_after = [route for route in routes if route not in doomed]
    return {}, [iproute.command('del', route) for route in doomed], routes_after


def main():
    module = AnsibleModule(
        argument_spec=dict(
            dest=dict(type='str', required=True),
            dev=dict(type='str'),
            via=dict(type='str'),
            src=dict(type='str'),
            metric=dict(type='int'),
            table=dict(type='str', default='main'),
            proto=dict(type='str'),
            state=dict(type='str', default='present', choices=['present', 'absent']),
        ),
        required_if=[('state', 'present', ('dev', 'via'), True)],
        supports_check_mode=True,
    )
    want, version = wanted_route(module)
    iproute = IpRoute(module, version)
    routes = iproute.show(want['dest'], want['table'])

    if module.params['state'] == 'present':
        route, commands, routes_after = ensure_present(iproute, routes, want, version)
    else:
        route, commands, routes_after = ensure_absent(iproute, routes, want)

    result = dict(changed=bool(commands), commands=run_changes(module, commands), route=route)
    if module._diff:
        result['diff'] = dict(before=dict(routes=routes), after=dict(routes=routes_after))
    module.exit_json(**result)


if __name__ == '__main__':
    main()
