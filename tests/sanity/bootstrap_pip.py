# -*- coding: utf-8 -*-

# Copyright (c) 2026, k8s-classic maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ansible-test's pip bootstrap, without ci-files.testing.ansible.com.

ansible-test makes an empty virtual environment for each sanity test and puts pip into it
with a get-pip script it downloads from ci-files.testing.ansible.com, a host this network
cannot reach; it uses a cached copy instead when there is one. tests/sanity/run.sh puts
this file there: it installs the pip that this Python carries (ensurepip, no network), then
lets that pip install the versions ansible-test asks for (its arguments: pip==X
setuptools==Y wheel==Z) from PyPI.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import subprocess
import sys


def main():
    # ensurepip in its own process: it sets PIP_CONFIG_FILE=/dev/null in the environment of
    # the process it runs in, and the second pip needs this machine's pip.conf (certificates)
    rc = subprocess.call([sys.executable, '-m', 'ensurepip', '--upgrade'])
    if rc != 0:
        return rc
    return subprocess.call([sys.executable, '-m', 'pip', 'install'] + sys.argv[1:])


if __name__ == '__main__':
    sys.exit(main())
