"""Puts tests/ on sys.path, for test_preflight.py's `from helpers import ...` (tests/helpers.py:
the playbook runner and the PLAY RECAP reader every test shares)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tests"))
