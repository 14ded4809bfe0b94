"""What Spyglass learnt about each LLM endpoint: the output mode it accepts, and its limits.

The only table of this app. It is written by the `llm` classifier (in a worker) and by
`llm_check`, and read by the pipeline page, so every process sees the same answer and a
restarted worker does not negotiate again.
"""

from urllib.parse import urlsplit, urlunsplit

from django.db import models


class LLMEndpoint(models.Model):
    """One (base URL, model) pair as the `llm` classifier found it."""

    base_url = models.CharField(max_length=500)
    model = models.CharField(max_length=200)
    # The output mode that works ("" until one request was accepted); see docs/llm.md.
    output_mode = models.CharField(max_length=20, blank=True)
    # The modes the endpoint refused, in the order tried, comma-separated.
    refused_modes = models.CharField(max_length=100, blank=True)
    refusal = models.TextField(blank=True)  # what the endpoint said when it refused the last one
    # What the server reported about itself (null: it does not say).
    context_tokens = models.PositiveIntegerField(null=True, blank=True)
    max_output_tokens = models.PositiveIntegerField(null=True, blank=True)
    limits_source = models.CharField(max_length=40, blank=True)  # e.g. "/props", "/v1/models"
    probed_at = models.DateTimeField(null=True, blank=True)
    negotiated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["base_url", "model"], name="llm_endpoint_unique")
        ]
        ordering = ["-negotiated_at", "base_url", "model"]
        verbose_name = "LLM endpoint"

    def __str__(self) -> str:
        return f"{self.model} at {self.base_url}: {self.output_mode or 'not negotiated'}"

    @property
    def refused_list(self) -> list[str]:
        return [mode for mode in self.refused_modes.split(",") if mode]

    @property
    def shown_base_url(self) -> str:
        return shown_url(self.base_url)


def shown_url(url: str) -> str:
    """A URL fit to show: no user name, password, query or fragment."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.hostname:
        return ""
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, host, parts.path, "", ""))
