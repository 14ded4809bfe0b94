"""`manage.py llm_check` against a real OpenAI-compatible HTTP server on 127.0.0.1."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.support.openai_server import OpenAIServer, Reply, completion, error_body

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
        "output": "json_schema",
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


def test_without_json_schema_support_it_names_the_modes_that_work(llm_settings, server):
    def refuses_json_schema(request) -> Reply:
        response_format = request.json.get("response_format") or {}
        if response_format.get("type") == "json_schema":
            return Reply(400, error_body("response_format json_schema not supported"))
        return Reply(200, completion(ANSWER))

    server.responder = refuses_json_schema

    with pytest.raises(CommandError) as caught:
        run_check()

    assert "set SPYGLASS_LLM_OUTPUT to json_object or text" in str(caught.value)
    assert "These output modes work: json_object, text." in str(caught.value)


def test_output_overrides_the_setting(llm_settings, server):
    server.answer(ANSWER)

    output = run_check("--output", "text")

    assert "output text" in output
    assert "response_format" not in server.requests[0].json


def test_it_says_what_to_set_when_unconfigured(settings):
    settings.SPYGLASS_LLM = {**settings.SPYGLASS_LLM, "base_url": "", "model": ""}

    with pytest.raises(CommandError, match="set SPYGLASS_LLM_BASE_URL and SPYGLASS_LLM_MODEL"):
        run_check()


def manage_py(server: OpenAIServer, **env: str) -> subprocess.CompletedProcess:
    """The command as an operator runs it, configured through the environment."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
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


def test_the_command_exits_zero_on_success(server):
    server.answer(ANSWER)

    finished = manage_py(server)

    assert finished.returncode == 0, finished.stderr
    assert "OK: the endpoint answered in the schema" in finished.stdout


def test_the_command_exits_non_zero_with_the_reason_on_failure(server):
    server.reply(error_body("Incorrect API key provided"), status=401)

    finished = manage_py(server, SPYGLASS_LLM_API_KEY="sk-wrong")

    assert finished.returncode == 1
    assert "LLM check failed: the endpoint refused the credentials" in finished.stderr
    assert "check SPYGLASS_LLM_API_KEY" in finished.stderr
    assert server.requests[0].headers["authorization"] == "Bearer sk-wrong"
