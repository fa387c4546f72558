"""Puts tests/ on sys.path, for test_etcd_alone.py's `from helpers import ...` (tests/helpers.py:
the playbook runner, the PLAY RECAP reader and the spread Deployment every test shares)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tests"))
