"""Which links may be submitted: a readable shape (canonical.py), a port a server can listen
on, and no address the fetch guard would refuse as far as the link alone shows it.

Everything here is known without the network. Names are resolved only when they are fetched
(the guard in pipeline/guard.py), so a name that points inside is still refused there.
"""

from urllib.parse import urlsplit

import httpx
from django.conf import settings

from apps.sources.canonical import InvalidURL, canonical_url
from apps.sources.pipeline.guard import AddressPolicy, BlockedAddress

DEFAULT_PORTS = {"http": 80, "https": 443}


def submittable_url(raw: str) -> str:
    """The canonical form of a link the pipeline may fetch; raises InvalidURL saying why not."""
    canonical = canonical_url(raw)
    try:
        url = httpx.URL(canonical)  # what the fetch will parse: e.g. 0177.0.0.1 it cannot
    except httpx.InvalidURL as error:
        raise InvalidURL(f"the URL cannot be read ({error})") from None
    parts = urlsplit(canonical)
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    fetch = settings.SPYGLASS_FETCH
    policy = AddressPolicy(allow_private=fetch["allow_private"], allowed=fetch["allowed_addresses"])
    try:
        policy.check_without_dns(url.host, port)
    except BlockedAddress as refusal:
        reason = str(refusal).removeprefix("refused: ")
        raise InvalidURL(
            f"{reason}, and this Spyglass does not fetch from private or internal addresses"
        ) from None
    return canonical
