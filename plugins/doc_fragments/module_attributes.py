# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class ModuleDocFragment(object):
    """What ovs_gre_port and ip_route share: how they behave in check and diff mode, and on
    which hosts and Pythons they run. A module's own attribute descriptions take precedence."""

    DOCUMENTATION = r'''
attributes:
  check_mode:
    support: full
    description:
      - Reads the system as a real run does and computes the commands, returned in RV(commands),
        without running them; the changes a real run would refuse are refused in check mode too.
  diff_mode:
    support: full
    description:
      - Shows what the module manages before and after, as the system stores it, so that only
        real changes show.
  platform:
    support: full
    platforms: posix
notes:
  - Runs with the managed host's Python 2.7 (EL 7) or 3; addresses are checked with the
    standard library alone (no C(ipaddress) module), so nothing needs to be installed for the module.
  - Every option is checked before anything is changed; bad values fail the task naming them.
'''
