"""Which machine findings an editor has not reviewed, and which of them are drafts.

The same rule as `Finding.reviewed` and `Finding.draft`, as query conditions: a finding is
reviewed when an editor added, accepted, edited or rated it, or when it was imported (a
record file is an editor's work); a machine draft is an unreviewed classifier finding whose
confidence is below SPYGLASS_DRAFT_CONFIDENCE (docs/curation.md, "Review").
"""

from django.conf import settings
from django.db.models import Q

from apps.core.models import Origin


def unreviewed() -> Q:
    """A classifier's finding no editor has reviewed."""
    return Q(origin=Origin.AI, reviewed_at__isnull=True)


def trusted() -> Q:
    """Reviewed, or a machine's finding at or above the confidence threshold.

    A machine finding without a confidence (classified before confidences were stored) is
    not trusted: nothing vouches for it.
    """
    threshold = settings.SPYGLASS_DRAFT_CONFIDENCE
    return ~unreviewed() | Q(confidence__gte=threshold)
