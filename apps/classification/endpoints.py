"""The `llm` classifier's memory of endpoints, in the database (classification.LLMEndpoint):
the output mode negotiated and the limits the server reported, for every worker and the web
process alike. Limits are asked again after PROBE_AGE; `llm_check` asks and negotiates anew."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .llm import Endpoint
from .models import LLMEndpoint, shown_url

PROBE_AGE = timedelta(days=1)


class DatabaseMemory:
    def load(self, base_url: str, model: str) -> Endpoint | None:
        row = LLMEndpoint.objects.filter(base_url=base_url, model=model).first()
        if row is None:
            return None
        fresh = row.probed_at is not None and timezone.now() - row.probed_at < PROBE_AGE
        return Endpoint(
            output_mode=row.output_mode,
            refused_modes=row.refused_list,
            refusal=row.refusal,
            context_tokens=row.context_tokens,
            max_output_tokens=row.max_output_tokens,
            limits_source=row.limits_source,
            probed=fresh,
        )

    def save(self, base_url: str, model: str, endpoint: Endpoint) -> None:
        now = timezone.now()
        values = {
            "output_mode": endpoint.output_mode,
            "refused_modes": ",".join(endpoint.refused_modes),
            "refusal": endpoint.refusal,
            "context_tokens": endpoint.context_tokens,
            "max_output_tokens": endpoint.max_output_tokens,
            "limits_source": endpoint.limits_source,
        }
        if endpoint.just_probed:
            values["probed_at"] = now
        if endpoint.just_negotiated:
            values["negotiated_at"] = now
        try:
            with transaction.atomic():
                LLMEndpoint.objects.update_or_create(
                    base_url=base_url, model=model, defaults=values
                )
        except IntegrityError:  # another worker created the row first: update it
            LLMEndpoint.objects.filter(base_url=base_url, model=model).update(**values)


def known_endpoints() -> list[LLMEndpoint]:
    """Every endpoint the `llm` classifier has talked to, the latest negotiated first."""
    return list(LLMEndpoint.objects.all()[:20])


@dataclass
class ClassifierStatus:
    """What the pipeline page says about classification."""

    classifier: str  # SPYGLASS_CLASSIFIER
    base_url: str  # the configured LLM endpoint, credentials left out ("" when not set)
    model: str
    output: str  # SPYGLASS_LLM_OUTPUT
    current: LLMEndpoint | None  # what was learnt about the configured endpoint
    others: list[LLMEndpoint]  # endpoints talked to before (another model or URL)


def classifier_status() -> ClassifierStatus:
    config = settings.SPYGLASS_LLM
    base_url, model = config.get("base_url", ""), config.get("model", "")
    endpoints = known_endpoints()
    current = next((e for e in endpoints if (e.base_url, e.model) == (base_url, model)), None)
    return ClassifierStatus(
        classifier=settings.SPYGLASS_CLASSIFIER,
        base_url=shown_url(base_url),
        model=model,
        output=config.get("output", ""),
        current=current,
        others=[e for e in endpoints if e is not current],
    )
