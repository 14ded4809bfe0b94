"""`manage.py llm_check` against a real OpenAI-compatible HTTP server on 127.0.0.1."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from apps.classification.models import LLMEndpoint
from tests.support.openai_server import OpenAIServer, error_body
from tests.support.worker import database_url

# The command remembers the mode it finds in the database.
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ANSWER = json.dumps(
    {
        "summary": "Harbour towns store tidal energy in cooperative batteries.",
        "keywords": ["tidal energy", "community batteries"],
        "themes": ["energy", "cooperatives"],
        "category": "technology",
        "type": "news",
        "signals": [],
        "behaviors": [],
        "technologies": [{"name": "Tidal batteries", "description": "", "relevancy": 4}],
        "issues": [],
    }
)


@pytest.fixture
def llm_settings(settings, server):
    settings.SPYGLASS_LLM = {
        **settings.SPYGLASS_LLM,
        "base_url": server.base_url,
        "model": "test-model",
        "api_key": "",
        "output": "auto",
        "timeout": 5.0,
    }
    return settings


def run_check(*args) -> str:
    out = StringIO()
    call_command("llm_check", *args, stdout=out)
    return out.getvalue()


def test_it_reports_an_endpoint_that_answers_in_the_schema(llm_settings, server):
    server.answer(ANSWER, usage={"prompt_tokens": 700, "completion_tokens": 90})

    output = run_check()

    assert f"Asking {server.base_url}/chat/completions (model test-model" in output
    assert "OK: the endpoint answered in the schema (first answer" in output
    assert "700 + 90 tokens" in output
    assert "themes: energy, cooperatives" in output
    assert "Output mode: json_schema (structured outputs)." in output
    assert "Context: 8192 tokens (SPYGLASS_LLM_CONTEXT: the server does not report it)" in output
    assert len(server.requests) == 1


def test_raw_prints_the_models_answers(llm_settings, server):
    server.answer("not json at all")
    server.answer(ANSWER)

    output = run_check("--raw")

    assert "--- answer 1 ---\nnot json at all" in output
    assert "(2 attempts" in output


def test_a_server_that_is_down_is_a_clear_failure(llm_settings, server):
    server.stop()

    with pytest.raises(CommandError) as caught:
        run_check()

    assert str(caught.value).startswith("LLM check temporary failure: could not reach")
    assert server.base_url in str(caught.value)


def test_a_refused_key_is_a_clear_failure(llm_settings, server):
    server.reply(error_body("Incorrect API key provided"), status=401)

    with pytest.raises(CommandError) as caught:
        run_check()

    assert str(caught.value) == (
        "LLM check failed: the endpoint refused the credentials "
        "(HTTP 401: Incorrect API key provided); set SPYGLASS_LLM_API_KEY"
    )


def test_it_finds_the_mode_a_llama_cpp_server_accepts_and_remembers_it(llm_settings, server):
    server.refuse("json_schema")  # HTTP 500, pydantic's "Input should be 'text' or ..."
    server.answer(ANSWER, usage={"prompt_tokens": 700, "completion_tokens": 90})

    output = run_check()

    assert "  json_schema: refused (HTTP 500: " in output
    assert "Input should be 'text' or 'json_object'" in output
    assert "  json_object_schema: accepted" in output
    assert "Output mode: json_object_schema (json_object with the schema: llama.cpp" in output
    assert "Remembered for this endpoint and model" in output
    refused, accepted = (request.json["response_format"] for request in server.requests)
    assert refused["type"] == "json_schema"
    assert accepted["type"] == "json_object"
    assert accepted["schema"]["properties"]["category"]["type"] == "string"
    endpoint = LLMEndpoint.objects.get(base_url=server.base_url, model="test-model")
    assert endpoint.output_mode == "json_object_schema"
    assert endpoint.refused_list == ["json_schema"]
    assert "Input should be" in endpoint.refusal


def test_it_negotiates_anew_even_when_a_mode_is_remembered(llm_settings, server):
    LLMEndpoint.objects.create(
        base_url=server.base_url, model="test-model", output_mode="text", probed_at=None
    )
    server.answer(ANSWER)

    output = run_check()

    assert "Output mode: json_schema" in output
    assert server.requests[0].json["response_format"]["type"] == "json_schema"
    assert LLMEndpoint.objects.get().output_mode == "json_schema"


@pytest.mark.parametrize("status", [400, 422])
def test_it_falls_through_every_refused_mode_to_text(llm_settings, server, status):
    refusal = error_body("response_format is not supported by this model")
    server.refuse("json_schema", "json_object_schema", "json_object", status=status, body=refusal)
    server.answer(ANSWER)

    output = run_check()

    for mode in ("json_schema", "json_object_schema", "json_object"):
        assert f"  {mode}: refused (HTTP {status}: response_format is not supported" in output
    assert "Output mode: text" in output
    assert "response_format" not in server.requests[-1].json
    assert len(server.requests) == 4


def test_a_refused_mode_forced_by_the_setting_is_a_configuration_error(llm_settings, server):
    llm_settings.SPYGLASS_LLM = {**llm_settings.SPYGLASS_LLM, "output": "json_schema"}
    server.refuse("json_schema")

    with pytest.raises(CommandError) as caught:
        run_check()

    message = str(caught.value)
    assert message.startswith("LLM check failed: the endpoint does not accept output mode")
    assert "set SPYGLASS_LLM_OUTPUT to auto" in message
    assert len(server.requests) == 1


def test_it_reports_the_context_the_server_reports(llm_settings, server):
    server.route("GET", "/props", {"default_generation_settings": {"n_ctx": 2048}})
    server.answer(ANSWER)

    output = run_check()

    assert "Context: 2048 tokens (reported by the server's /props)" in output
    assert LLMEndpoint.objects.get().context_tokens == 2048


def test_output_overrides_the_setting(llm_settings, server):
    server.answer(ANSWER)

    output = run_check("--output", "text")

    assert "output mode text only" in output
    assert "response_format" not in server.requests[0].json
    # A forced mode is not remembered: the pipeline still negotiates.
    assert LLMEndpoint.objects.get().output_mode == ""


def test_it_says_what_to_set_when_unconfigured(settings):
    settings.SPYGLASS_LLM = {**settings.SPYGLASS_LLM, "base_url": "", "model": ""}

    with pytest.raises(CommandError, match="set SPYGLASS_LLM_BASE_URL and SPYGLASS_LLM_MODEL"):
        run_check()


def manage_py(server: OpenAIServer, **env: str) -> subprocess.CompletedProcess:
    """The command as an operator runs it, configured through the environment, on this
    test's database."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(connection.settings_dict),
        "SPYGLASS_LLM_BASE_URL": server.base_url,
        "SPYGLASS_LLM_MODEL": "test-model",
        "SPYGLASS_LLM_API_KEY": "",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "llm_check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.django_db(transaction=True)
def test_the_command_exits_zero_on_success(server):
    server.answer(ANSWER)

    finished = manage_py(server)

    assert finished.returncode == 0, finished.stderr
    assert "OK: the endpoint answered in the schema" in finished.stdout
    assert LLMEndpoint.objects.get().output_mode == "json_schema"  # seen by this process


@pytest.mark.django_db(transaction=True)
def test_the_command_exits_non_zero_with_the_reason_on_failure(server):
    server.reply(error_body("Incorrect API key provided"), status=401)

    finished = manage_py(server, SPYGLASS_LLM_API_KEY="sk-wrong")

    assert finished.returncode == 1
    assert "LLM check failed: the endpoint refused the credentials" in finished.stderr
    assert "check SPYGLASS_LLM_API_KEY" in finished.stderr
    assert server.requests[0].headers["authorization"] == "Bearer sk-wrong"
