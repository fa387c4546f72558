#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
module: ovs_gre_port
short_description: Manage a GRE tunnel port on an Open vSwitch bridge
version_added: 0.1.0
description:
  - Ensures that a GRE tunnel port is, or is not, on an Open vSwitch bridge, with the tunnel options given,
    using C(ovs-vsctl). The nodes of the cluster overlay are joined by such ports, one to each other node.
  - This module exists because C(openvswitch.openvswitch.openvswitch_port) applies its C(set) arguments,
    where tunnel options such as C(options:remote_ip) go, only when it adds a port. It does not notice that
    the O(remote_ip) or O(key) of an existing tunnel port differ from the task, so a node whose address
    changed keeps a tunnel to the old one; and it has no option for split horizon (the C(protected) column of
    the C(Port) table).
  - The port's interface has exactly the options of the task (O(remote_ip), O(key), O(local_ip) and O(options));
    others that it has are removed. Changes to a port happen in one C(ovs-vsctl) transaction.
  - A port of the same name on another bridge is moved to O(bridge) in two transactions, deleted and then
    added, because C(ovs-vswitchd) cannot add a tunnel port in the transaction that deletes it from another bridge.
  - C(ovs-vsctl) succeeds even when C(ovs-vswitchd) then cannot set the interface up, for example because
    another port is a tunnel with the same O(remote_ip) and O(key). After changing the port, the module
    fails with the reason from the C(error) column of the interface.
author:
  - k8s-classic maintainers (@k8s-classic)
requirements:
  - Open vSwitch (the C(ovs-vsctl) command, and C(ovs-vswitchd) running)
  - The Python C(ipaddress) module (part of Python 3; C(python2-ipaddress) on Python 2.7)
notes:
  - Needs an Open vSwitch whose C(Port) table has the C(protected) column; with an older one,
    C(ovs-vsctl) fails naming the column.
  - Option values are not checked by C(ovs-vsctl); C(ovs-vswitchd) reports bad ones in the C(error)
    column of the C(Interface) table and in its log.
attributes:
  check_mode:
    support: full
    description: Computes the C(ovs-vsctl) commands, returned in RV(commands), without running them.
  diff_mode:
    support: full
    description: Shows the port before and after.
  platform:
    support: full
    platforms: posix
    description: Hosts with Open vSwitch.
options:
  bridge:
    description:
      - The bridge the port is on. It must exist when O(state=present).
    type: str
    required: true
  port:
    description:
      - The name of the port, and of its interface.
    type: str
    required: true
  state:
    description:
      - V(present) to ensure the port is on O(bridge) as described.
      - V(absent) to remove the port from O(bridge); a port of that name on another bridge is left alone.
    type: str
    choices: [present, absent]
    default: present
  remote_ip:
    description:
      - The address of the other end of the tunnel, an IPv4 or IPv6 address. Required when O(state=present).
    type: str
  key:
    description:
      - The GRE key, a number from 0 to 4294967295, or V(flow) to take it from the flow table.
      - When not set, the tunnel has no key.
    type: str
  local_ip:
    description:
      - The address of this end of the tunnel, of the same IP version as O(remote_ip).
      - When not set, Open vSwitch picks it from the route to O(remote_ip).
    type: str
  protected:
    description:
      - Whether the port is protected (split horizon) - traffic that enters on one protected port
        is never forwarded out of another.
      - In a full mesh of tunnels, where every node has a port to every other node, this stops a frame
        from looping around the mesh without spanning tree.
    type: bool
    default: true
  options:
    description:
      - Other options of the tunnel interface (the C(options) column of the C(Interface) table),
        such as V(csum), V(ttl) or V(df_default).
      - Values are written as strings; V(true) and V(false) as Open vSwitch spells them.
      - Must not contain C(remote_ip), C(key) or C(local_ip), which have options of their own.
    type: dict
    default: {}
  interface_type:
    description:
      - The type of the tunnel interface. V(ip6gre) needs an IPv6 O(remote_ip).
    type: str
    choices: [gre, ip6gre]
    default: gre
  timeout:
    description:
      - How many seconds C(ovs-vsctl) waits for C(ovs-vswitchd) and the database (C(--timeout)).
    type: int
    default: 5
'''

EXAMPLES = r'''
- name: Tunnel from this node to node2, with split horizon
  k8s_classic.cluster.ovs_gre_port:
    bridge: obr0
    port: gre-node2
    remote_ip: 192.168.10.22

- name: Keyed tunnel with checksums, from a given local address
  k8s_classic.cluster.ovs_gre_port:
    bridge: obr0
    port: gre-node3
    remote_ip: 192.168.10.23
    local_ip: 192.168.10.21
    key: "42"
    options:
      csum: true

- name: Remove the tunnel to a node that left the cluster
  k8s_classic.cluster.ovs_gre_port:
    bridge: obr0
    port: gre-node4
    state: absent
'''

RETURN = r'''
commands:
  description: The C(ovs-vsctl) commands run, or in check mode those that would run.
  returned: always
  type: list
  elements: str
  sample:
    - >-
      /usr/bin/ovs-vsctl --timeout=5 --may-exist add-port obr0 gre-node2
      -- set Interface gre-node2 type=gre options:remote_ip=192.168.10.22
      -- set Port gre-node2 protected=true
port:
  description: The port as the task leaves it; empty for O(state=absent).
  returned: always
  type: dict
  contains:
    bridge:
      description: The bridge the port is on.
      type: str
      sample: obr0
    port:
      description: The name of the port and its interface.
      type: str
      sample: gre-node2
    type:
      description: The type of the interface.
      type: str
      sample: gre
    options:
      description: The options of the interface, with remote_ip, key and local_ip among them.
      type: dict
      sample: {"remote_ip": "192.168.10.22", "key": "42"}
    protected:
      description: Whether the port is protected (split horizon).
      type: bool
      sample: true
'''

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_text

from ansible_collections.k8s_classic.cluster.plugins.module_utils.addresses import checked_address, require_ipaddress
from ansible_collections.k8s_classic.cluster.plugins.module_utils.command import run_changes
from ansible_collections.k8s_classic.cluster.plugins.module_utils.ovs import Vsctl, ovs_bool

# Interface options that have module options of their own.
TUNNEL_OPTIONS = ('remote_ip', 'key', 'local_ip')
MAX_GRE_KEY = 0xffffffff


def is_gre_key(text):
    """Whether text is a GRE key: 'flow', or a number that fits in 32 bits (decimal, or hex with 0x)."""
    if text == 'flow':
        return True
    try:
        return 0 <= int(text, 0) <= MAX_GRE_KEY
    except ValueError:
        return False


def option_text(value):
    """An option value as the string Open vSwitch stores."""
    if isinstance(value, bool):
        return ovs_bool(value)
    return to_text(value)


def wanted_options(module):
    """The interface options the task describes: options, with remote_ip, key and local_ip added."""
    params = module.params
    clashing = sorted(set(params['options']) & set(TUNNEL_OPTIONS))
    if clashing:
        module.fail_json(msg='set %s with the option of the same name, not in options' % ', '.join(clashing))
    remote_ip, remote_version = checked_address(module, 'remote_ip')
    local_ip, local_version = checked_address(module, 'local_ip')
    if local_ip and local_version != remote_version:
        module.fail_json(msg='local_ip %s and remote_ip %s must both be IPv4 or both IPv6' % (local_ip, remote_ip))
    if params['interface_type'] == 'ip6gre' and remote_version != 6:
        module.fail_json(msg='interface_type ip6gre needs an IPv6 remote_ip, not %s' % remote_ip)
    if params['key'] is not None and not is_gre_key(params['key']):
        module.fail_json(msg="key must be 'flow' or a number from 0 to %d, not %r" % (MAX_GRE_KEY, params['key']))

    options = dict((name, option_text(value)) for name, value in params['options'].items())
    options['remote_ip'] = remote_ip
    if local_ip:
        options['local_ip'] = local_ip
    if params['key'] is not None:
        options['key'] = params['key']
    return options


def wanted_port(module):
    """The port the task describes, in the shape of read_port's."""
    params = module.params
    return dict(bridge=params['bridge'], port=params['port'], type=params['interface_type'],
                options=wanted_options(module), protected=params['protected'])


def read_port(module, vsctl, name):
    """The port named name as it is in the database, or None when there is none."""
    port_row = vsctl.find_row('Port', name, ['name', 'protected'])
    if port_row is None:
        return None
    interface_row = vsctl.find_row('Interface', name, ['name', 'type', 'options'])
    if interface_row is None:
        module.fail_json(msg='port %s has no interface of its own name (is it a bond?); '
                             'this module manages single-interface tunnel ports' % name)
    bridge = vsctl.run(['port-to-br', name])[1].strip()
    return dict(bridge=bridge, port=name, type=interface_row['type'],
                options=interface_row['options'], protected=port_row['protected'])


def require_bridge(module, vsctl, bridge):
    """Fail the module when bridge does not exist (ovs-vsctl br-exists exits 2)."""
    rc = vsctl.run(['br-exists', bridge], allowed_rc=(0, 2))[0]
    if rc == 2:
        module.fail_json(msg='bridge %s does not exist; create it first' % bridge)


def add_port_subcommands(want):
    """Add the port and configure it, for a port that is on no bridge."""
    port = want['port']
    interface_settings = ['type=%s' % want['type']]
    interface_settings.extend('options:%s=%s' % item for item in sorted(want['options'].items()))
    return [
        ['--may-exist', 'add-port', want['bridge'], port],
        ['set', 'Interface', port] + interface_settings,
        ['set', 'Port', port, 'protected=%s' % ovs_bool(want['protected'])],
    ]


def update_subcommands(want, have):
    """Change what differs between the port as it is (have) and as the task wants it."""
    port = want['port']
    interface_settings = []
    if have['type'] != want['type']:
        interface_settings.append('type=%s' % want['type'])
    for name, value in sorted(want['options'].items()):
        if have['options'].get(name) != value:
            interface_settings.append('options:%s=%s' % (name, value))
    stale_options = sorted(set(have['options']) - set(want['options']))

    subcommands = []
    if interface_settings:
        subcommands.append(['set', 'Interface', port] + interface_settings)
    if stale_options:
        subcommands.append(['remove', 'Interface', port, 'options'] + stale_options)
    if have['protected'] != want['protected']:
        subcommands.append(['set', 'Port', port, 'protected=%s' % ovs_bool(want['protected'])])
    return subcommands


def present_commands(vsctl, want, have):
    """The ovs-vsctl commands that make the port as the task wants it."""
    if have is None:
        return [vsctl.transaction(add_port_subcommands(want))]
    if have['bridge'] != want['bridge']:
        return [vsctl.transaction([['del-port', have['bridge'], want['port']]]),
                vsctl.transaction(add_port_subcommands(want))]
    subcommands = update_subcommands(want, have)
    return [vsctl.transaction(subcommands)] if subcommands else []


def ensure_present(module, vsctl):
    """The port before and after, and the commands that make it as the task wants it."""
    want = wanted_port(module)
    require_bridge(module, vsctl, want['bridge'])
    have = read_port(module, vsctl, want['port'])
    return have, want, present_commands(vsctl, want, have)


def ensure_absent(module, vsctl):
    """The port before and after, and the command that deletes it when it is on the bridge."""
    bridge, port = module.params['bridge'], module.params['port']
    have = read_port(module, vsctl, port)
    if have is None or have['bridge'] != bridge:
        return None, {}, []
    return have, {}, [vsctl.transaction([['--if-exists', 'del-port', bridge, port]])]


def require_working_interface(module, vsctl, port, command_lines):
    """Fail the module when ovs-vswitchd could not set up the interface of the port just changed."""
    interface = vsctl.find_row('Interface', port, ['name', 'error'])
    if interface['error']:
        module.fail_json(msg='ovs-vswitchd could not set up interface %s: %s' % (port, interface['error']),
                         changed=True, commands=command_lines)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            bridge=dict(type='str', required=True),
            port=dict(type='str', required=True),
            state=dict(type='str', default='present', choices=['present', 'absent']),
            remote_ip=dict(type='str'),
            key=dict(type='str', no_log=False),
            local_ip=dict(type='str'),
            protected=dict(type='bool', default=True),
            options=dict(type='dict', default={}),
            interface_type=dict(type='str', default='gre', choices=['gre', 'ip6gre']),
            timeout=dict(type='int', default=5),
        ),
        required_if=[('state', 'present', ('remote_ip',))],
        supports_check_mode=True,
    )
    require_ipaddress(module)
    vsctl = Vsctl(module, module.params['timeout'])
    ensure = ensure_present if module.params['state'] == 'present' else ensure_absent
    have, want, commands = ensure(module, vsctl)

    command_lines = run_changes(module, commands)
    if want and commands and not module.check_mode:
        require_working_interface(module, vsctl, want['port'], command_lines)
    result = dict(changed=bool(commands), commands=command_lines, port=want)
    if module._diff:
        result['diff'] = dict(before=have or {}, after=want)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
