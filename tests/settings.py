"""Test settings: the project's settings, with the environment a test run needs.

Only environment defaults are set here; everything else comes from config.settings so
tests exercise the real configuration.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("SPYGLASS_INSECURE_HTTP", "true")
if "SPYGLASS_VAR_DIR" not in os.environ:
    # Each run gets its own broker folder and key files, never the developer's var/; the
    # worker processes a test starts inherit the variable and share the folder.
    _var_dir = tempfile.mkdtemp(prefix="spyglass-tests-")
    os.environ["SPYGLASS_VAR_DIR"] = _var_dir
    atexit.register(shutil.rmtree, _var_dir, ignore_errors=True)

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
