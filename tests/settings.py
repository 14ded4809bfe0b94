"""Test settings: the project's settings, with the environment a test run needs.

Only environment defaults are set here; everything else comes from config.settings so
tests exercise the real configuration.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("SPYGLASS_INSECURE_HTTP", "true")
# Each run gets its own broker folder and key files, never the developer's var/.
os.environ.setdefault("SPYGLASS_VAR_DIR", tempfile.mkdtemp(prefix="spyglass-tests-"))

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
