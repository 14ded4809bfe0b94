"""The `llm` classifier: any OpenAI-compatible chat endpoint (OpenAI, Ollama, vLLM, llama.cpp).

One request, and at most one re-ask when the answer does not fit the schema. Failures come
out in two kinds, so the pipeline can tell them apart:

- `LLMTransientError` (timeouts, connection errors, HTTP 408, 429, 5xx): worth retrying later,
  with `retry_after` when the server said how long to wait;
- `LLMError` (refused requests, a bad configuration, an answer that never fits): permanent.

A result is only ever returned from an answer that passed `schema.normalise`.
"""

import copy
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from apps.sources.pipeline.fetch import retry_after_seconds

from .base import Page, Vocabulary
from .cleaning import name_key
from .prompt import PROMPT_VERSION, reask_message, system_message, user_message
from .schema import ClassificationError, ClassificationResult, normalise

OUTPUT_MODES = ("json_schema", "json_object", "text")
MAX_ATTEMPTS = 2  # the first answer and one re-ask
_ERROR_CHARS = 300  # how much of a provider's error message is kept


@dataclass
class LLMRun:
    """What one classification cost and said; the fields mirror sources.ClassificationRun."""

    model: str
    prompt_version: str = PROMPT_VERSION
    output: str = ""
    attempts: int = 0  # requests sent
    responses: list[str] = field(default_factory=list)  # the answers' content, in order
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    duration_ms: int = 0
    error: str = ""

    @property
    def raw_response(self) -> str:
        return "\n\n--- re-ask ---\n\n".join(self.responses)

    def add_usage(self, usage: Any) -> None:
        if not isinstance(usage, dict):
            return
        for name in ("prompt_tokens", "completion_tokens"):
            value = usage.get(name)
            if isinstance(value, int) and not isinstance(value, bool):
                setattr(self, name, (getattr(self, name) or 0) + value)


class LLMError(ClassificationError):
    """A permanent failure: retrying the same request would fail the same way."""

    transient = False
    retry_after = None

    def __init__(self, message: str, *, code: str = "llm_error", problems=None):
        super().__init__(message, problems)
        self.message = message
        self.code = code
        self.run: LLMRun | None = None


class LLMTransientError(ClassificationError):
    """A failure worth retrying later (the pipeline's backoff, or `retry_after` seconds)."""

    transient = True

    def __init__(self, message: str, retry_after: float | None = None, *, code: str = "llm_busy"):
        super().__init__(message)
        self.message = message
        self.code = code
        self.retry_after = retry_after
        self.run: LLMRun | None = None


@dataclass(frozen=True)
class LLMConfig:
    base_url: str
    model: str
    api_key: str = ""
    output: str = "json_schema"
    max_tokens_param: str = "max_tokens"
    max_tokens: int = 2000
    temperature: float = 0.1
    timeout: float = 60.0
    text_budget: int = 6000

    @classmethod
    def from_settings(cls) -> "LLMConfig":
        values = {**settings.SPYGLASS_LLM}
        config = cls(**{name: values[name] for name in cls.__dataclass_fields__ if name in values})
        config.check()
        return config

    def check(self) -> None:
        missing = [
            name
            for name, value in (
                ("SPYGLASS_LLM_BASE_URL", self.base_url),
                ("SPYGLASS_LLM_MODEL", self.model),
            )
            if not value
        ]
        if missing:
            raise LLMError(
                f"the llm classifier is not configured: set {' and '.join(missing)}",
                code="llm_config",
            )
        url = urlsplit(self.base_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise LLMError(
                f"SPYGLASS_LLM_BASE_URL is {self.base_url!r}; give an http(s) URL such as "
                "http://127.0.0.1:11434/v1",
                code="llm_config",
            )
        if self.output not in OUTPUT_MODES:
            raise LLMError(
                f"SPYGLASS_LLM_OUTPUT is {self.output!r}; use one of {', '.join(OUTPUT_MODES)}",
                code="llm_config",
            )

    @property
    def endpoint(self) -> str:
        return self.base_url.rstrip("/") + "/chat/completions"


class LLMClassifier:
    """Classify a page through the endpoint in settings.SPYGLASS_LLM (read when built)."""

    name = "llm"

    def __init__(self, config: LLMConfig | None = None) -> None:
        self.config = config or LLMConfig.from_settings()

    def classify(self, page: Page, vocabulary: Vocabulary) -> ClassificationResult:
        return self.classify_with_run(page, vocabulary)[0]

    def classify_with_run(
        self, page: Page, vocabulary: Vocabulary
    ) -> tuple[ClassificationResult, LLMRun]:
        """The result and the run; on failure the exception carries the run as `.run`."""
        config = self.config
        run = LLMRun(model=config.model, output=config.output)
        messages = [
            {"role": "system", "content": system_message(vocabulary)},
            {"role": "user", "content": user_message(page, text_budget=config.text_budget)},
        ]
        started = time.monotonic()
        try:
            with _client(config) as client:
                return self._converse(client, messages, vocabulary, run), run
        except (LLMError, LLMTransientError) as error:
            run.error = error.message
            error.run = run
            raise
        finally:
            run.duration_ms = round((time.monotonic() - started) * 1000)

    def _converse(self, client, messages, vocabulary, run: LLMRun) -> ClassificationResult:
        body = request_body(self.config, messages, vocabulary)
        problem = ""
        for _ in range(MAX_ATTEMPTS):
            answer = send(client, self.config, body)
            run.attempts += 1
            run.add_usage(answer.usage)
            run.responses.append(answer.content)
            try:
                return parse_answer(answer, vocabulary)
            except ClassificationError as error:
                problem = str(error)
            body["messages"] = [
                *body["messages"],
                {"role": "assistant", "content": answer.content},
                {"role": "user", "content": reask_message(problem)},
            ]
        raise LLMError(
            f"the model's answer did not fit the schema, twice: {problem}",
            code="llm_bad_answer",
        )


@dataclass
class Answer:
    content: str
    usage: Any = None
    finish_reason: str = ""
    refusal: str = ""


def request_body(config: LLMConfig, messages: list[dict], vocabulary: Vocabulary) -> dict:
    body: dict[str, Any] = {
        "model": config.model,
        "messages": messages,
        "temperature": config.temperature,
        config.max_tokens_param: config.max_tokens,
    }
    if config.output == "json_schema":
        body["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": "record", "strict": True, "schema": answer_schema(vocabulary)},
        }
    elif config.output == "json_object":
        body["response_format"] = {"type": "json_object"}
    return body


def answer_schema(vocabulary: Vocabulary) -> dict:
    """The result schema, with category and type held to the vocabulary's names."""
    schema = copy.deepcopy(ClassificationResult.model_json_schema())
    for key, names in (("category", vocabulary.categories), ("type", vocabulary.types)):
        if names:
            schema["properties"][key]["enum"] = list(names)
    return schema


def send(client: httpx.Client, config: LLMConfig, body: dict) -> Answer:
    """POST one chat completion; raise LLMTransientError or LLMError when it does not answer."""
    try:
        response = client.post(config.endpoint, json=body)
    except httpx.TimeoutException:
        raise LLMTransientError(
            f"timed out: no answer from {config.base_url} within {config.timeout:g} s",
            code="llm_timeout",
        ) from None
    except (httpx.TransportError, OSError) as error:
        raise LLMTransientError(
            f"could not reach {config.base_url}: {error or type(error).__name__}",
            code="llm_connection",
        ) from None
    if response.status_code >= 400:
        raise http_error(response, config)
    try:
        data = response.json()
        choice = data["choices"][0]
        message = choice["message"]
        return Answer(
            content=_text(message.get("content")),
            usage=data.get("usage"),
            finish_reason=_text(choice.get("finish_reason")),
            refusal=_text(message.get("refusal")),
        )
    except (ValueError, LookupError, TypeError, AttributeError):
        raise LLMError(
            f"the endpoint's answer is not a chat completion: {_excerpt(response.text)}",
            code="llm_bad_response",
        ) from None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def http_error(response: httpx.Response, config: LLMConfig) -> Exception:
    status = response.status_code
    said = _provider_message(response)
    detail = f"HTTP {status}" + (f": {said}" if said else "")
    code = f"llm_http_{status}"
    if status in (408, 429) or status >= 500:
        retry_after = _retry_after(response.headers)
        return LLMTransientError(
            f"the endpoint is busy or failing ({detail})", retry_after, code=code
        )
    if status in (401, 403):
        hint = "check SPYGLASS_LLM_API_KEY" if config.api_key else "set SPYGLASS_LLM_API_KEY"
        return LLMError(f"the endpoint refused the credentials ({detail}); {hint}", code=code)
    if status == 404:
        return LLMError(
            f"not found ({detail}); check SPYGLASS_LLM_BASE_URL (it usually ends in /v1) "
            f"and SPYGLASS_LLM_MODEL ({config.model})",
            code=code,
        )
    lowered = said.lower()
    if config.output != "text" and ("response_format" in lowered or "json_schema" in lowered):
        other = "json_object or text" if config.output == "json_schema" else "text"
        return LLMError(
            f"the endpoint does not accept output mode {config.output} ({detail}); "
            f"set SPYGLASS_LLM_OUTPUT to {other}",
            code="llm_output_unsupported",
        )
    for word, hint in _PARAMETER_HINTS.items():
        if word in lowered and "support" in lowered:
            return LLMError(f"the endpoint refused a parameter ({detail}); {hint}", code=code)
    if status == 413 or "context" in lowered or "too long" in lowered:
        return LLMError(
            f"the request is too long for the model ({detail}); lower SPYGLASS_LLM_TEXT_BUDGET",
            code=code,
        )
    return LLMError(f"the endpoint refused the request ({detail})", code=code)


# Parameters some models refuse (OpenAI's reasoning models, for one), and what to set instead.
_PARAMETER_HINTS = {
    "max_tokens": "set SPYGLASS_LLM_MAX_TOKENS_PARAM to max_completion_tokens",
    "temperature": "set SPYGLASS_LLM_TEMPERATURE to 1 (the only value some models accept)",
}


def parse_answer(answer: Answer, vocabulary: Vocabulary) -> ClassificationResult:
    """The answer as a normalised result, or ClassificationError saying what is wrong."""
    if answer.refusal:
        raise ClassificationError(f"the model refused: {_excerpt(answer.refusal)}")
    try:
        raw = json.loads(json_text(answer.content))
    except ValueError as error:
        cut = answer.finish_reason == "length"
        raise ClassificationError(
            "the answer was cut off at the token limit before the JSON object ended"
            if cut
            else f"the answer is not a JSON object ({error})"
        ) from None
    spelled, problems = _vocabulary_names(raw, vocabulary)
    try:
        result = normalise(raw)
    except ClassificationError as error:
        problems = error.problems + problems
    if problems:
        raise ClassificationError(
            "the result does not fit the schema: " + "; ".join(problems), problems
        )
    return result.model_copy(update=spelled)


_THINKING = re.compile(r"<think(?:ing)?>.*?</think(?:ing)?>", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"```[a-zA-Z0-9_-]*\s*\n?(.*?)```", re.DOTALL)


def json_text(content: str) -> str:
    """The JSON object in a model's answer: reasoning and code fences dropped, outermost {...}."""
    text = _THINKING.sub("", content).strip()
    fence = _FENCE.search(text)
    if fence and "{" in fence.group(1):
        text = fence.group(1)
    start, end = text.find("{"), text.rfind("}")
    if start == -1 or end < start:
        raise ValueError("no {...} object found")
    return text[start : end + 1]


def _vocabulary_names(raw: Any, vocabulary: Vocabulary) -> tuple[dict, list[str]]:
    """Category and type as the vocabulary spells them, and the problems when not in it."""
    spelled, problems = {}, []
    for key, names in (("category", vocabulary.categories), ("type", vocabulary.types)):
        given = raw.get(key) if isinstance(raw, dict) else None
        if not names or not isinstance(given, str):
            continue  # no vocabulary to hold it to, or normalise reports it
        known = {name_key(name): name for name in names}
        if name_key(given) in known:
            spelled[key] = known[name_key(given)]
        else:
            allowed = ", ".join(json.dumps(name) for name in names)
            problems.append(f"{key}: {given!r} is not one of {allowed}")
    return spelled, problems


def _client(config: LLMConfig) -> httpx.Client:
    headers = {"Accept": "application/json"}
    if config.api_key:
        headers["Authorization"] = f"Bearer {config.api_key}"
    return httpx.Client(headers=headers, timeout=config.timeout, follow_redirects=False)


def _retry_after(headers: httpx.Headers) -> float | None:
    milliseconds = headers.get("retry-after-ms", "")  # OpenAI's finer-grained variant
    try:
        return float(milliseconds) / 1000
    except ValueError:
        return retry_after_seconds(headers.get("retry-after"))


def _provider_message(response: httpx.Response) -> str:
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return _excerpt(response.text)
    if isinstance(error, dict):
        return _excerpt(str(error.get("message") or error))
    return _excerpt(str(error or response.text))


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _ERROR_CHARS else text[: _ERROR_CHARS - 1] + "…"
