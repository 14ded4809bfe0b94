"""Accounts' own table: API tokens. Users and groups are django.contrib.auth's.

The module also matters because Django sends post_migrate only to apps with a models
module, and the roles sync (receivers.py) listens for this app's post_migrate.
"""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A user's key to the API. Only a hash of the secret is kept; the user saw it once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    # The first characters of the token, to recognise it in a list and find its row.
    prefix = models.CharField(max_length=12, db_index=True)
    hash = models.CharField("SHA-256 of the token", max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
