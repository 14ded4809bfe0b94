"""The `llm` classifier when the endpoint fails: transient errors (rate limits, timeouts, 5xx,
unreachable) for the pipeline to retry, permanent ones with the setting to change.
"""

import pytest

from apps.classification.llm import LLMClassifier, LLMError, LLMTransientError
from apps.classification.schema import normalise
from tests.classification.llm_support import ANSWER, PAGE, RECORD, VOCABULARY, configure
from tests.support.openai_server import error_body


def test_429_is_transient_with_retry_after_then_the_next_try_succeeds(llm_settings, server):
    server.reply(error_body("Rate limit reached"), status=429, headers={"Retry-After": "7"})
    server.answer(ANSWER)

    with pytest.raises(LLMTransientError) as caught:
        LLMClassifier().classify(PAGE, VOCABULARY)

    assert caught.value.transient is True
    assert caught.value.retry_after == 7.0
    assert caught.value.code == "llm_http_429"
    assert "Rate limit reached" in str(caught.value)
    assert LLMClassifier().classify(PAGE, VOCABULARY) == normalise(RECORD)
    assert len(server.requests) == 2


def test_retry_after_ms_is_honoured(llm_settings, server):
    server.reply(error_body("slow down"), status=429, headers={"retry-after-ms": "1500"})

    with pytest.raises(LLMTransientError) as caught:
        LLMClassifier().classify(PAGE, VOCABULARY)

    assert caught.value.retry_after == 1.5


def test_a_timeout_is_transient(llm_settings, server):
    configure(llm_settings, timeout=0.3)
    server.answer(ANSWER, delay=3)

    with pytest.raises(LLMTransientError) as caught:
        LLMClassifier().classify(PAGE, VOCABULARY)

    assert caught.value.code == "llm_timeout"
    assert "0.3 s" in str(caught.value)
    assert caught.value.run.attempts == 0


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_transient(llm_settings, server, status):
    server.reply(error_body("The server had an error", type="server_error"), status=status)

    with pytest.raises(LLMTransientError) as caught:
        LLMClassifier().classify(PAGE, VOCABULARY)

    assert caught.value.code == f"llm_http_{status}"
    assert caught.value.retry_after is None


def test_an_unreachable_endpoint_is_transient(llm_settings, server):
    server.stop()

    with pytest.raises(LLMTransientError) as caught:
        LLMClassifier().classify(PAGE, VOCABULARY)

    assert caught.value.code == "llm_connection"
    assert server.base_url in str(caught.value)


def test_401_is_permanent_with_a_clear_message(llm_settings, server):
    configure(llm_settings, api_key="sk-wrong")
    server.reply(error_body("Incorrect API key provided"), status=401)

    with pytest.raises(LLMError) as caught:
        LLMClassifier().classify(PAGE, VOCABULARY)

    error = caught.value
    assert error.transient is False
    assert error.code == "llm_http_401"
    assert str(error) == (
        "the endpoint refused the credentials (HTTP 401: Incorrect API key provided); "
        "check SPYGLASS_LLM_API_KEY"
    )
    assert len(server.requests) == 1


def test_404_points_at_the_base_url_and_the_model(llm_settings, server):
    server.reply(error_body("model 'test-model' not found"), status=404)

    with pytest.raises(LLMError) as caught:
        LLMClassifier().classify(PAGE, VOCABULARY)

    assert "SPYGLASS_LLM_BASE_URL" in str(caught.value)
    assert "model 'test-model' not found" in str(caught.value)


@pytest.mark.parametrize(
    ("said", "hint"),
    [
        (
            "Unsupported parameter: 'max_tokens' is not supported with this model. "
            "Use 'max_completion_tokens' instead.",
            "set SPYGLASS_LLM_MAX_TOKENS_PARAM to max_completion_tokens",
        ),
        (
            "Unsupported value: 'temperature' does not support 0.1 with this model. "
            "Only the default (1) value is supported.",
            "set SPYGLASS_LLM_TEMPERATURE to 1",
        ),
        (
            "This model's maximum context length is 8192 tokens.",
            "lower SPYGLASS_LLM_TEXT_BUDGET",
        ),
    ],
)
def test_a_refused_parameter_names_the_setting_to_change(llm_settings, server, said, hint):
    server.reply(error_body(said), status=400)

    with pytest.raises(LLMError) as caught:
        LLMClassifier().classify(PAGE, VOCABULARY)

    assert caught.value.transient is False
    assert hint in str(caught.value)
    assert said in str(caught.value)


def test_a_reply_that_is_not_a_chat_completion_is_permanent(llm_settings, server):
    server.reply("<html>Welcome to the proxy</html>", headers={"Content-Type": "text/html"})

    with pytest.raises(LLMError) as caught:
        LLMClassifier().classify(PAGE, VOCABULARY)

    assert caught.value.code == "llm_bad_response"
    assert "Welcome to the proxy" in str(caught.value)
