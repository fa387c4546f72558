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
    another port is a tunnel with the same O(remote_ip) and O(key). On every run with O(state=present), changed
    or not (and in check mode when nothing would change), the module fails with the reason from the C(error)
    column of the interface when it has one, or when its C(ofport) is -1, since such a tunnel is down.
  - A port of that name that is not a GRE tunnel (a network device of the host, an internal port, another
    tunnel type, a bond) is refused unless O(force=true); a bond member of that name is always refused.
    Check mode refuses what the real run refuses.
  - Values of O(options) and O(external_ids) are strings as Open vSwitch stores them; an empty one, or one
    that starts with a quote, is written quoted so that Open vSwitch stores it as given.
author:
  - k8s-classic maintainers (@k8s-classic)
extends_documentation_fragment:
  - k8s_classic.cluster.module_attributes
requirements:
  - Open vSwitch (the C(ovs-vsctl) command, and C(ovs-vswitchd) running)
seealso:
  - module: openvswitch.openvswitch.openvswitch_port
    description: Ports of other kinds, and tunnels whose options it need not keep in line.
notes:
  - Needs an Open vSwitch whose C(Port) table has the C(protected) column; with an older one,
    C(ovs-vsctl) fails naming the column.
  - Option values are not checked by C(ovs-vsctl); C(ovs-vswitchd) reports bad ones in the C(error)
    column of the C(Interface) table and in its log.
attributes:
  diff_mode:
    support: full
    description:
      - Shows the port before and after. A O(key) or address that Open vSwitch holds in another spelling
        of the same value (V(0x2a) for V(42), V(fd00:0::1) for V(fd00::1)) is no change and shows as it is stored.
  platform:
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
      - The GRE key, a number from 0 to 4294967295 written in decimal digits (V(42); leading zeros are
        decimal too) or V(0x) and hex digits (V(0x2a)), or V(flow) to take it from the flow table.
        Nothing else is taken (no signs, spaces or V(_)).
      - The key is written in decimal, and compared by its number with the key the port has, read as
        C(ovs-vswitchd) reads it.
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
      - Values are written as strings; V(true) and V(false) as Open vSwitch spells them. A value must be a
        string, number or boolean; V(null) is refused.
      - Must not contain C(remote_ip), C(key) or C(local_ip), which have options of their own.
    type: dict
    default: {}
  external_ids:
    description:
      - Keys and values to set in the C(external_ids) column of the port (the C(Port) table), for the
        software that manages the port to mark it.
      - Keys this task does not name are left as they are (other software may own them); a key set to
        V(null) is removed.
    type: dict
    default: {}
  force:
    description:
      - Whether a port of the same name that is not a GRE tunnel (a network device, an internal port,
        another tunnel type, a bond) may be deleted and the tunnel added in its place.
      - With V(false), such a port fails the task and is left alone.
    type: bool
    default: false
  interface_type:
    description:
      - The type of the tunnel interface. V(ip6gre) needs an IPv6 O(remote_ip).
    type: str
    choices: [gre, ip6gre]
    default: gre
  timeout:
    description:
      - How many seconds C(ovs-vsctl) waits for C(ovs-vswitchd) and the database (C(--timeout)); at least 1.
      - C(ovs-vsctl) commits the change, then waits for C(ovs-vswitchd). When it times out, the module reads
        the database again and fails, saying whether the change was made (then reported as changed).
    type: int
    default: 5
  database_socket:
    description:
      - The Open vSwitch database to talk to (C(ovs-vsctl --db)), as a path of its unix socket
        (V(/run/openvswitch/db.sock)) or as V(unix:PATH), V(tcp:HOST:PORT) or V(ssl:HOST:PORT).
      - When not set, C(ovs-vsctl)'s default socket.
    type: str
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

- name: Tunnel marked with its peer, through a given database socket
  k8s_classic.cluster.ovs_gre_port:
    bridge: obr0
    port: gre-node4
    remote_ip: 192.168.10.24
    database_socket: /run/openvswitch/db.sock
    external_ids:
      k8s-classic-peer: node4

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
    external_ids:
      description: The external_ids of the port, those this task did not name included.
      type: dict
      sample: {"k8s-classic-peer": "node4"}
'''

import re

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.six import binary_type, integer_types, text_type

from ansible_collections.k8s_classic.cluster.plugins.module_utils.addresses import checked_address, parse_address
from ansible_collections.k8s_classic.cluster.plugins.module_utils.command import command_line, fail_command, run_command
from ansible_collections.k8s_classic.cluster.plugins.module_utils.ovs import (
    Vsctl,
    as_set,
    decode_table,
    ovs_bool,
    ovs_key,
    ovs_value,
)

# Interface options that have module options of their own.
TUNNEL_OPTIONS = ('remote_ip', 'key', 'local_ip')
ADDRESS_OPTIONS = ('remote_ip', 'local_ip')
TUNNEL_TYPES = ('gre', 'ip6gre')
MAX_GRE_KEY = 0xffffffff
# A GRE key as the task may give it: decimal digits, or 0x and hex digits; nothing else.
GRE_KEY = re.compile(r'^(?:0[xX][0-9a-fA-F]+|[0-9]+)$')
# A database socket as ovs-vsctl --db takes it.
DATABASE_REMOTE = re.compile(r'^(?:unix:.+|(?:tcp|ssl):.+)$')


def parse_gre_key(text):
    """The GRE key the task gives, as a number ('flow' as itself); None when text is no GRE key.

    One strict form: decimal digits (leading zeros are decimal too) or 0x and hex digits, up to 2**32-1."""
    text = to_text(text)
    if text == 'flow':
        return text
    if not GRE_KEY.match(text):
        return None
    number = int(text, 16) if text[:2].lower() == '0x' else int(text, 10)
    return number if number <= MAX_GRE_KEY else None


def ovs_gre_key(text):
    """The GRE key that ovs-vswitchd reads from an options:key value (strtoull with base 0: leading
    space and sign, 0x for hex, a leading 0 for octal, up to the first other character)."""
    text = to_text(text).lstrip()
    if text == 'flow':
        return text
    sign = -1 if text[:1] == '-' else 1
    text = text[1:] if text[:1] in '+-' else text
    if text[:2].lower() == '0x' and text[2:3] and text[2:3] in '0123456789abcdefABCDEF':
        base, digits, text = 16, '0123456789abcdefABCDEF', text[2:]
    elif text[:1] == '0':
        base, digits = 8, '01234567'
    else:
        base, digits = 10, '0123456789'
    length = 0
    while length < len(text) and text[length] in digits:
        length += 1
    number = int(text[:length], base) if length else 0
    return (sign * number) % (1 << 64)


def same_option(name, have, want):
    """Whether the interface option name, as Open vSwitch has it, is what the task wants:
    addresses and keys compare by what they mean, other options as strings."""
    if have is None:
        return False
    if name in ADDRESS_OPTIONS:
        try:
            return parse_address(have) == parse_address(want)
        except ValueError:
            return False
    if name == 'key':
        return ovs_gre_key(have) == ovs_gre_key(want)
    return have == want


def option_text(module, group, name, value):
    """A value of options or external_ids as the string Open vSwitch stores; fails on a value that is none."""
    if isinstance(value, bool):
        return ovs_bool(value)
    if isinstance(value, (text_type, binary_type)) or isinstance(value, integer_types) or isinstance(value, float):
        return to_text(value)
    if value is None:
        module.fail_json(msg='%s.%s has no value (null); give it one, or leave it out' % (group, name))
    module.fail_json(msg='%s.%s must be a string, number or boolean, not %r' % (group, name, value))


def checked_names(module, group, names):
    """Fail the module when one of names (keys of options or external_ids) is empty."""
    for name in names:
        if not to_text(name).strip():
            module.fail_json(msg='%s has an empty key: %r' % (group, name))


def wanted_options(module):
    """The interface options the task describes: options, with remote_ip, key and local_ip added."""
    params = module.params
    clashing = sorted(set(params['options']) & set(TUNNEL_OPTIONS))
    if clashing:
        module.fail_json(msg='set %s with the option of the same name, not in options' % ', '.join(clashing))
    checked_names(module, 'options', params['options'])
    remote_ip, remote_version = checked_address(module, 'remote_ip')
    local_ip, local_version = checked_address(module, 'local_ip')
    if local_ip and local_version != remote_version:
        module.fail_json(msg='local_ip %s and remote_ip %s must both be IPv4 or both IPv6' % (local_ip, remote_ip))
    if params['interface_type'] == 'ip6gre' and remote_version != 6:
        module.fail_json(msg='interface_type ip6gre needs an IPv6 remote_ip, not %s' % remote_ip)

    options = dict((to_text(name), option_text(module, 'options', name, value))
                   for name, value in params['options'].items())
    options['remote_ip'] = remote_ip
    if local_ip:
        options['local_ip'] = local_ip
    if params['key'] is not None:
        key = parse_gre_key(params['key'])
        if key is None:
            module.fail_json(msg="key must be 'flow', or a number from 0 to %d in decimal or 0x hex digits, not %r"
                             % (MAX_GRE_KEY, params['key']))
        options['key'] = to_text(key)
    return options


def wanted_external_ids(module):
    """The external_ids to set (their values as strings) and the keys to remove (those set to null)."""
    external_ids = module.params['external_ids']
    checked_names(module, 'external_ids', external_ids)
    drop = sorted(to_text(name) for name, value in external_ids.items() if value is None)
    keep = dict((to_text(name), option_text(module, 'external_ids', name, value))
                for name, value in external_ids.items() if value is not None)
    return keep, drop


def checked_database(module):
    """database_socket as ovs-vsctl --db takes it (a path is a unix socket), or None."""
    database = module.params['database_socket']
    if database is None:
        return None
    if database.startswith('/'):
        return 'unix:' + database
    if not DATABASE_REMOTE.match(database):
        module.fail_json(msg='database_socket must be a path or unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT, not %r'
                         % database)
    return database


def checked_arguments(module):
    """Fail the module on arguments that make no sense together, before Open vSwitch is asked anything."""
    params = module.params
    if params['timeout'] < 1:
        module.fail_json(msg='timeout must be at least 1 second, not %d (ovs-vsctl would wait forever)'
                         % params['timeout'])
    if params['port'] == params['bridge']:
        module.fail_json(msg='port %s is the local port of bridge %s: it comes and goes with the bridge '
                             '(ovs-vsctl add-br/del-br), it cannot be a tunnel' % (params['port'], params['bridge']))


def wanted_port(module, options, keep, drop, have):
    """The port the task describes, in the shape of read_port's: with the options and external_ids
    to keep and drop that the task gives; external_ids the port has and the task does not name stay."""
    params = module.params
    external_ids = dict((name, value) for name, value in (have or {}).get('external_ids', {}).items()
                        if name not in drop)
    external_ids.update(keep)
    options = dict(options)
    for name, value in (have or {}).get('options', {}).items():
        # the same value in another spelling (0x2a for 42, fd00:0::1 for fd00::1) is no change
        if name in options and name in TUNNEL_OPTIONS and same_option(name, value, options[name]):
            options[name] = value
    return dict(bridge=params['bridge'], port=params['port'], type=params['interface_type'],
                options=options, protected=params['protected'], external_ids=external_ids)


def read_port(module, vsctl, name):
    """The port named name as it is in the database, or None when there is none; and how many
    interfaces it has (a bond has several), or 0 when its one interface has another name."""
    port_row = vsctl.find_row('Port', name, ['name', 'protected', 'interfaces', 'external_ids'])
    interface_row = vsctl.find_row('Interface', name, ['_uuid', 'name', 'type', 'options'])
    if port_row is None:
        if interface_row is not None:
            holders = decode_table(vsctl.run(['--format=json', '--columns=name', 'find', 'Port',
                                              'interfaces{>=}%s' % interface_row['_uuid']])[1])
            module.fail_json(msg='%s is an interface of port %s (a bond), not a port of its own; this module '
                                 'manages single-interface tunnel ports, and force does not take bond members'
                                 % (name, ', '.join(row['name'] for row in holders) or '(none)'))
        return None, 0
    interfaces = as_set(port_row['interfaces'])
    own = interface_row is not None and interface_row['_uuid'] in interfaces
    bridge = vsctl.run(['port-to-br', name])[1].strip()
    port = dict(bridge=bridge, port=name, type=interface_row['type'] if own else None,
                options=interface_row['options'] if own else {}, protected=port_row['protected'],
                external_ids=port_row['external_ids'])
    return port, len(interfaces) if own or len(interfaces) > 1 else 0


def require_bridge(module, vsctl, bridge):
    """Fail the module when bridge does not exist (ovs-vsctl br-exists exits 2)."""
    rc = vsctl.run(['br-exists', bridge], allowed_rc=(0, 2))[0]
    if rc == 2:
        module.fail_json(msg='bridge %s does not exist; create it first' % bridge)


def require_no_bridge_named(module, vsctl, port):
    """Fail the module when port is the local port of a bridge (each bridge has one of its name)."""
    if vsctl.run(['br-exists', port], allowed_rc=(0, 2))[0] == 0:
        module.fail_json(msg='port %s is the local port of bridge %s: it comes and goes with the bridge '
                             '(ovs-vsctl add-br/del-br), it cannot be a tunnel' % (port, port))


def foreign_port_reason(have, interfaces):
    """Why the existing port have is no tunnel this module may change without force; None when it is one."""
    if interfaces != 1:
        what = ('a bond of %d interfaces' % interfaces) if interfaces else 'a port without an interface of its name'
    elif have['type'] not in TUNNEL_TYPES:
        what = 'an interface of type %s' % (have['type'] or 'system (a network device of the host)')
    else:
        return None
    return ('port %s on bridge %s is %s, not a GRE tunnel; set force: true to delete it and add the tunnel '
            'in its place (its VLAN tag, trunks and other settings go with it)' % (have['port'], have['bridge'], what))


def add_port_subcommands(want):
    """Add the port and configure it, for a port that is on no bridge."""
    port = want['port']
    interface_settings = ['type=%s' % want['type']]
    interface_settings.extend('options:%s=%s' % (ovs_key(name), ovs_value(value))
                              for name, value in sorted(want['options'].items()))
    port_settings = ['protected=%s' % ovs_bool(want['protected'])]
    port_settings.extend('external_ids:%s=%s' % (ovs_key(name), ovs_value(value))
                         for name, value in sorted(want['external_ids'].items()))
    return [
        ['--may-exist', 'add-port', want['bridge'], port],
        ['set', 'Interface', port] + interface_settings,
        ['set', 'Port', port] + port_settings,
    ]


def map_changes(table, name, column, have, want):
    """The subcommands that make the map column of row name in table want instead of have."""
    settings = ['%s:%s=%s' % (column, ovs_key(key), ovs_value(value))
                for key, value in sorted(want.items()) if have.get(key) != value]
    stale = sorted(ovs_key(key) for key in set(have) - set(want))
    subcommands = [['set', table, name] + settings] if settings else []
    if stale:
        subcommands.append(['remove', table, name, column] + stale)
    return subcommands


def update_subcommands(want, have):
    """Change what differs between the port as it is (have) and as the task wants it."""
    port = want['port']
    subcommands = []
    if have['type'] != want['type']:
        subcommands.append(['set', 'Interface', port, 'type=%s' % want['type']])
    subcommands.extend(map_changes('Interface', port, 'options', have['options'], want['options']))
    if have['protected'] != want['protected']:
        subcommands.append(['set', 'Port', port, 'protected=%s' % ovs_bool(want['protected'])])
    subcommands.extend(map_changes('Port', port, 'external_ids', have['external_ids'], want['external_ids']))
    return merge_sets(subcommands)


def merge_sets(subcommands):
    """Subcommands with consecutive `set TABLE NAME ...` of the same row joined into one."""
    merged = []
    for subcommand in subcommands:
        if merged and subcommand[0] == 'set' and merged[-1][:3] == subcommand[:3]:
            merged[-1] = merged[-1] + subcommand[3:]
        else:
            merged.append(subcommand)
    return merged


def present_commands(vsctl, want, have, replace):
    """The ovs-vsctl commands that make the port as the task wants it; replace when have must go first."""
    if have is None:
        return [vsctl.transaction(add_port_subcommands(want))]
    if replace or have['bridge'] != want['bridge']:
        return [vsctl.transaction([['del-port', have['bridge'], want['port']]]),
                vsctl.transaction(add_port_subcommands(want))]
    subcommands = update_subcommands(want, have)
    return [vsctl.transaction(subcommands)] if subcommands else []


def ensure_present(module, vsctl):
    """The port before and after, and the commands that make it as the task wants it."""
    options = wanted_options(module)
    keep, drop = wanted_external_ids(module)
    require_bridge(module, vsctl, module.params['bridge'])
    require_no_bridge_named(module, vsctl, module.params['port'])
    have, interfaces = read_port(module, vsctl, module.params['port'])
    replace = False
    if have is not None:
        reason = foreign_port_reason(have, interfaces)
        if reason and not module.params['force']:
            module.fail_json(msg=reason)
        replace = bool(reason)
    want = wanted_port(module, options, keep, drop, None if replace else have)
    return have, want, present_commands(vsctl, want, have, replace)


def ensure_absent(module, vsctl):
    """The port before and after, and the command that deletes it when it is on the bridge."""
    bridge, port = module.params['bridge'], module.params['port']
    have = read_port(module, vsctl, port)[0]
    if have is None or have['bridge'] != bridge:
        return None, {}, []
    return have, {}, [vsctl.transaction([['--if-exists', 'del-port', bridge, port]])]


def apply_commands(module, vsctl, commands, want):
    """Run the commands in order (none in check mode). Returns the command lines.

    A failing command fails the module, changed when an earlier command changed something. When
    ovs-vsctl times out, the database is read again: ovs-vsctl commits, then waits for ovs-vswitchd,
    so the change may have been made even though the command did not finish."""
    command_lines = [command_line(argv) for argv in commands]
    if module.check_mode:
        return command_lines
    for index, argv in enumerate(commands):
        rc, stdout, stderr = run_command(module, argv)
        if rc == 0:
            continue
        changed = index > 0
        reason = None
        if vsctl.timed_out(rc):
            if index == len(commands) - 1 and database_has(module, vsctl, want):
                changed = True
                reason = ('%s; the database took the change, but ovs-vswitchd did not confirm it: '
                          'the tunnel may not be working yet' % vsctl.timeout_reason())
            else:
                reason = '%s; the database did not take the change' % vsctl.timeout_reason()
        fail_command(module, argv, rc, stdout, stderr, reason=reason, changed=changed, commands=command_lines)
    return command_lines


def database_has(module, vsctl, want):
    """Whether the database now holds the port as wanted (or, for want {}, no longer on the bridge)."""
    now = read_port(module, vsctl, module.params['port'])[0]
    if want:
        return now == want
    return now is None or now['bridge'] != module.params['bridge']


def require_working_interface(module, vsctl, port, changed, command_lines):
    """Fail the module when ovs-vswitchd could not set up the interface of the port (error set,
    or ofport -1): after a change, and on every run that changes nothing, as such a tunnel is down."""
    interface = vsctl.find_row('Interface', port, ['name', 'error', 'ofport'])
    if interface is None:
        return
    error = interface['error'] if interface['error'] != [] else None
    if error or interface['ofport'] == -1:
        module.fail_json(msg='ovs-vswitchd could not set up interface %s: %s'
                             % (port, error or 'it has no OpenFlow port (ofport -1); see the ovs-vswitchd log'),
                         changed=changed, commands=command_lines)


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
            external_ids=dict(type='dict', default={}),
            interface_type=dict(type='str', default='gre', choices=['gre', 'ip6gre']),
            force=dict(type='bool', default=False),
            timeout=dict(type='int', default=5),
            database_socket=dict(type='str'),
        ),
        required_if=[('state', 'present', ('remote_ip',))],
        supports_check_mode=True,
    )
    checked_arguments(module)
    vsctl = Vsctl(module, module.params['timeout'], checked_database(module))
    ensure = ensure_present if module.params['state'] == 'present' else ensure_absent
    have, want, commands = ensure(module, vsctl)

    command_lines = apply_commands(module, vsctl, commands, want)
    if want and not (module.check_mode and commands):
        require_working_interface(module, vsctl, want['port'], bool(commands), command_lines)
    result = dict(changed=bool(commands), commands=command_lines, port=want)
    if module._diff:
        result['diff'] = dict(before=have or {}, after=want)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
