"""Accounts has no models of its own: users and groups are django.contrib.auth's.

This module exists because Django sends post_migrate only to apps with a models module,
and the roles sync (receivers.py) listens for this app's post_migrate.
"""
