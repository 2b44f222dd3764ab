"""Loaded with `-p tests.env`, before Django's settings: tests run with the development key."""

import os

os.environ.setdefault("GUIDE_ALLOW_DEV_KEY", "1")
