"""The `llm` classifier: any OpenAI-compatible chat endpoint (OpenAI, Ollama, vLLM, llama.cpp).

Per page: the text in as many parts as the model's context needs (`SPYGLASS_LLM_MAX_CHUNKS`
at most), one request per part and at most one re-ask when an answer does not fit the
schema, all within one deadline (`SPYGLASS_LLM_DEADLINE`). The parts' records are merged.

The output mode is negotiated (docs/llm.md): json_schema first; when the endpoint refuses
it, json_object carrying the schema (llama.cpp), plain json_object, then text. The mode that
works is remembered per endpoint and model (`memory`), so later pages ask once.

Failures come out in two kinds, so the pipeline can tell them apart:

- `LLMTransientError` (timeouts, connection errors, HTTP 408, 429, 5xx): worth retrying later,
  with `retry_after` when the server said how long to wait;
- `LLMError` (refused requests, a bad configuration, an answer that never fits, the deadline
  spent): permanent. A refused output mode is an answer about configuration, never retried.

A result is only ever returned from answers that passed `schema.normalise`. The parts'
records are merged by `merge.py`; the server's limits are asked by `probe.py`.
"""

__all__ = ["LLMClassifier", "LLMError", "LLMTransientError", "finding_key", "merge_results"]

import copy
import difflib
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from apps.sources.pipeline.fetch import retry_after_seconds

from . import limits
from .base import Page, Vocabulary
from .cleaning import name_key
from .merge import FINDING_KINDS, finding_key, merge_results
from .probe import probe_limits
from .prompt import (
    CHARS_PER_TOKEN,
    PROMPT_VERSION,
    reask_message,
    split_text,
    system_message,
    user_message,
)
from .schema import ClassificationError, ClassificationResult, normalise

# The output modes in the order they are tried. "auto" (the default setting) negotiates.
OUTPUT_MODES = ("json_schema", "json_object_schema", "json_object", "text")
AUTO = "auto"
MODE_LABELS = {
    "json_schema": "structured outputs",
    "json_object_schema": "json_object with the schema: llama.cpp decodes under its grammar",
    "json_object": "JSON mode, the schema in the prompt",
    "text": "the schema in the prompt, the answer parsed tolerantly",
}
MAX_ATTEMPTS = 2  # the first answer and one re-ask, per part
_ERROR_CHARS = 300  # how much of a provider's error message is kept
# Tokens reserved besides the page text: the instructions' own length is counted, this is
# the metadata, the message framing and a margin for the tokenizer's variance.
PROMPT_MARGIN = 300
MIN_PART_TOKENS = 250


@dataclass
class LLMRun:
    """What one classification cost and said; the fields mirror sources.ClassificationRun."""

    model: str
    prompt_version: str = PROMPT_VERSION
    output: str = ""  # the output mode used (the one the endpoint accepted)
    chunks: int = 0  # how many parts of the text were sent
    attempts: int = 0  # requests answered (refused output modes not counted)
    responses: list[str] = field(default_factory=list)  # the answers' content, in order
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    duration_ms: int = 0
    error: str = ""
    notes: list[str] = field(default_factory=list)  # parts left out, and why
    refused: list[tuple[str, str]] = field(default_factory=list)  # (mode, what the server said)
    warnings: list[str] = field(default_factory=list)  # for llm_check: settings to look at
    limits: "Limits | None" = None

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


class ModeRefused(Exception):
    """The endpoint refused the request's output mode (HTTP 400/422, or a 500 that says so)."""

    def __init__(self, mode: str, detail: str):
        super().__init__(detail)
        self.mode = mode
        self.detail = detail


@dataclass(frozen=True)
class LLMConfig:
    base_url: str
    model: str
    api_key: str = ""
    output: str = AUTO
    max_tokens_param: str = "max_tokens"
    max_tokens: int = 2000
    temperature: float = 0.1
    timeout: float = 60.0
    text_budget: int = 6000
    context: int = 8192  # tokens, when the server does not say
    max_chunks: int = 4
    deadline: float = 100.0  # seconds for every request of one page, re-asks included
    # False: the instructions open the user message, for chat templates without a system
    # role that drop system messages (Gemma's, in llama-cpp-python's `gemma` chat format).
    system_role: bool = True

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
        if self.output not in (AUTO, *OUTPUT_MODES):
            raise LLMError(
                f"SPYGLASS_LLM_OUTPUT is {self.output!r}; use one of "
                f"{', '.join((AUTO, *OUTPUT_MODES))}",
                code="llm_config",
            )
        for name, value in (
            ("SPYGLASS_LLM_MAX_TOKENS", self.max_tokens),
            ("SPYGLASS_LLM_CONTEXT", self.context),
            ("SPYGLASS_LLM_MAX_CHUNKS", self.max_chunks),
            ("SPYGLASS_LLM_DEADLINE", self.deadline),
        ):
            if value <= 0:
                raise LLMError(f"{name} is {value}; give a number above 0", code="llm_config")

    @property
    def endpoint(self) -> str:
        return self.base_url.rstrip("/") + "/chat/completions"

    @property
    def root(self) -> str:
        """The server's root: the base URL without its trailing /v1."""
        base = self.base_url.rstrip("/")
        return base[: -len("/v1")] if base.endswith("/v1") else base


@dataclass(frozen=True)
class Limits:
    """The context and output budget a request is sized to, and where they come from."""

    context: int
    max_tokens: int
    source: str = "settings"  # or the server path that reported them


@dataclass
class Endpoint:
    """What is known of one endpoint and model (mirrors classification.LLMEndpoint)."""

    output_mode: str = ""
    refused_modes: list[str] = field(default_factory=list)
    refusal: str = ""
    context_tokens: int | None = None
    max_output_tokens: int | None = None
    limits_source: str = ""
    probed: bool = False  # the limits are known (asked recently enough)
    just_probed: bool = False  # asked by this classifier: the memory stamps the time
    just_negotiated: bool = False  # the mode found by this classifier: likewise


class EndpointMemory(Protocol):
    """Where negotiated modes and probed limits are kept between pages (and processes)."""

    def load(self, base_url: str, model: str) -> Endpoint | None: ...

    def save(self, base_url: str, model: str, endpoint: Endpoint) -> None: ...


class ProcessMemory:
    """Kept in this object only: for tests and one-off uses. The pipeline uses the database
    (apps.classification.endpoints.DatabaseMemory)."""

    def __init__(self) -> None:
        self._endpoints: dict[tuple[str, str], Endpoint] = {}

    def load(self, base_url: str, model: str) -> Endpoint | None:
        found = self._endpoints.get((base_url, model))
        return copy.deepcopy(found) if found else None

    def save(self, base_url: str, model: str, endpoint: Endpoint) -> None:
        self._endpoints[(base_url, model)] = copy.deepcopy(endpoint)


class Deadline:
    """One budget of seconds for every request of a page."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    @property
    def remaining(self) -> float:
        return self.ends - time.monotonic()

    def error(self, detail: str = "") -> LLMError:
        return LLMError(
            f"no usable answer within the deadline of {self.seconds:g} s"
            + (f" ({detail})" if detail else "")
            + "; for a slow model raise SPYGLASS_LLM_DEADLINE (and SPYGLASS_CLASSIFY_SOFT_LIMIT "
            "above it) or lower SPYGLASS_LLM_MAX_TOKENS",
            code="llm_deadline",
        )


class LLMClassifier:
    """Classify a page through the endpoint in settings.SPYGLASS_LLM (read when built)."""

    name = "llm"

    def __init__(
        self,
        config: LLMConfig | None = None,
        memory: EndpointMemory | None = None,
        *,
        fresh: bool = False,
    ) -> None:
        """`fresh`: forget what the memory holds, ask the limits and negotiate anew."""
        self.config = config or LLMConfig.from_settings()
        self.memory = memory if memory is not None else ProcessMemory()
        self.fresh = fresh

    def classify(self, page: Page, vocabulary: Vocabulary) -> ClassificationResult:
        return self.classify_with_run(page, vocabulary)[0]

    def classify_with_run(
        self, page: Page, vocabulary: Vocabulary
    ) -> tuple[ClassificationResult, LLMRun]:
        """The result and the run; on failure the exception carries the run as `.run`."""
        config = self.config
        run = LLMRun(model=config.model)
        started = time.monotonic()
        try:
            with _client(config) as client:
                endpoint = self.endpoint(client, fresh=self.fresh)
                return self._classify(client, endpoint, page, vocabulary, run), run
        except (LLMError, LLMTransientError) as error:
            run.error = error.message
            error.run = run
            raise
        finally:
            run.duration_ms = round((time.monotonic() - started) * 1000)

    def endpoint(self, client: httpx.Client, *, fresh: bool = False) -> Endpoint:
        """What is remembered of this endpoint, its limits asked of the server once."""
        config = self.config
        endpoint = (
            None if fresh else self.memory.load(config.base_url, config.model)
        ) or Endpoint()
        if not endpoint.probed:
            context, output, source = probe_limits(client, config)
            endpoint.context_tokens, endpoint.max_output_tokens = context, output
            endpoint.limits_source, endpoint.probed, endpoint.just_probed = source, True, True
            self.memory.save(config.base_url, config.model, endpoint)
            endpoint.just_probed = False
        return endpoint

    def limits(self, endpoint: Endpoint) -> Limits:
        config = self.config
        context = endpoint.context_tokens or config.context
        max_tokens = min(config.max_tokens, endpoint.max_output_tokens or config.max_tokens)
        source = endpoint.limits_source if endpoint.context_tokens else "settings"
        return Limits(context=context, max_tokens=max_tokens, source=source)

    def modes_to_try(self, endpoint: Endpoint) -> list[str]:
        """An explicit SPYGLASS_LLM_OUTPUT alone; else from the remembered mode on."""
        if self.config.output != AUTO:
            return [self.config.output]
        first = endpoint.output_mode if endpoint.output_mode in OUTPUT_MODES else OUTPUT_MODES[0]
        return list(OUTPUT_MODES[OUTPUT_MODES.index(first) :])

    def _classify(self, client, endpoint: Endpoint, page, vocabulary, run: LLMRun):
        config = self.config
        deadline = Deadline(config.deadline)
        limits = run.limits = self.limits(endpoint)
        modes = self.modes_to_try(endpoint)
        parts, cut_note = split_text(
            page.text, self.part_chars(vocabulary, limits, modes), config.max_chunks
        )
        results: list[ClassificationResult] = []
        for number, text in enumerate(parts, 1):
            if results and deadline.remaining <= 0:
                run.notes.append(
                    f"parts {number}-{len(parts)} of {len(parts)} not sent: "
                    f"the deadline of {config.deadline:g} s was spent"
                )
                break
            note = cut_note if number == len(parts) else ""
            user = user_message(page, text=text, part=number, parts=len(parts), cut_note=note)
            try:
                result = self._converse(
                    client, endpoint, modes, user, vocabulary, run, deadline, limits
                )
            except LLMError as error:
                if not results or error.code not in ("llm_bad_answer", "llm_deadline"):
                    raise
                run.notes.append(f"part {number} of {len(parts)} left out: {error.message}")
                if error.code == "llm_deadline":
                    break
                continue
            finally:
                run.chunks = number
            results.append(result)
            modes = [run.output]  # the mode found for the first part serves the others
        return merge_results(results)

    def part_chars(self, vocabulary: Vocabulary, limits: Limits, modes: list[str]) -> int:
        """How many characters of page text one request can carry.

        The context holds the instructions, the text, the answer and, for a re-ask, the
        first answer again; SPYGLASS_LLM_TEXT_BUDGET caps it.
        """
        # The last mode to try writes the schema into the prompt if any does: size for it.
        instructions = system_message(vocabulary, self._prompt_schema(modes[-1], vocabulary))
        used = len(instructions) // CHARS_PER_TOKEN + PROMPT_MARGIN + 2 * limits.max_tokens
        tokens = min(self.config.text_budget, max(MIN_PART_TOKENS, limits.context - used))
        return tokens * CHARS_PER_TOKEN

    def _prompt_schema(self, mode: str, vocabulary: Vocabulary) -> dict | None:
        return answer_schema(vocabulary) if mode in ("json_object", "text") else None

    def _converse(
        self, client, endpoint, modes, user, vocabulary, run, deadline, limits
    ) -> ClassificationResult:
        config = self.config
        _mode, answer, body = self._negotiate(
            client, endpoint, modes, user, vocabulary, run, deadline, limits
        )
        problem = ""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if attempt > 1:
                body["messages"] = [
                    *body["messages"],
                    {"role": "assistant", "content": answer.content},
                    {"role": "user", "content": reask_message(problem)},
                ]
                answer = send(client, config, body, deadline)
            run.attempts += 1
            run.add_usage(answer.usage)
            run.responses.append(answer.content)
            try:
                result = parse_answer(answer, vocabulary, last=attempt == MAX_ATTEMPTS)
            except ClassificationError as error:
                problem = str(error)
            else:
                if answer.finish_reason == "length" and CUT_NOTE not in run.notes:
                    run.notes.append(CUT_NOTE)
                return result
            if deadline.remaining <= 0:
                raise deadline.error(f"the answer did not fit the schema: {problem}")
        raise LLMError(
            f"the model's answer did not fit the schema, twice: {problem}",
            code="llm_bad_answer",
        )

    def _negotiate(self, client, endpoint, modes, user, vocabulary, run, deadline, limits):
        """Send the first request in the first mode the endpoint accepts; remember it."""
        config = self.config
        refused: list[ModeRefused] = []
        for mode in modes:
            messages = chat_messages(
                config, system_message(vocabulary, self._prompt_schema(mode, vocabulary)), user
            )
            body = request_body(
                config, messages, vocabulary, mode=mode, max_tokens=limits.max_tokens
            )
            try:
                answer = send(client, config, body, deadline, mode=mode)
            except ModeRefused as refusal:
                refused.append(refusal)
                run.refused.append((refusal.mode, refusal.detail))
                continue
            run.output = mode
            for warning in _dropped_instructions(config, messages, answer.usage):
                if warning not in run.warnings:
                    run.warnings.append(warning)
            # Only a negotiation is remembered: a forced mode (the setting, or llm_check
            # --output) says nothing about what `auto` should start with.
            if config.output == AUTO and (mode != endpoint.output_mode or refused):
                endpoint.output_mode = mode
                endpoint.refused_modes = [r.mode for r in refused] or endpoint.refused_modes
                endpoint.refusal = refused[-1].detail if refused else endpoint.refusal
                endpoint.just_negotiated = True
                self.memory.save(config.base_url, config.model, endpoint)
                endpoint.just_negotiated = False
            return mode, answer, body
        last = refused[-1]
        if config.output != AUTO:
            raise LLMError(
                f"the endpoint does not accept output mode {last.mode} ({last.detail}); set "
                f"SPYGLASS_LLM_OUTPUT to auto to let Spyglass find the mode that works, or to "
                f"one of {', '.join(m for m in OUTPUT_MODES if m != last.mode)}",
                code="llm_output_unsupported",
            )
        raise LLMError(  # cannot happen with text last, which no endpoint refuses as a mode
            f"the endpoint refused every output mode ({last.detail})",
            code="llm_output_unsupported",
        )


def _dropped_instructions(config: LLMConfig, messages: list[dict], usage: Any) -> list[str]:
    """A warning when the server counted fewer prompt tokens than the instructions alone
    hold: its chat template probably dropped the system message."""
    counted = usage.get("prompt_tokens") if isinstance(usage, dict) else None
    if not config.system_role or not isinstance(counted, int) or counted <= 0:
        return []
    instructions = len(messages[0]["content"]) // CHARS_PER_TOKEN
    if counted >= instructions // 2:
        return []
    return [
        f"the endpoint counted {counted} prompt tokens, fewer than the instructions alone "
        f"(about {instructions}): its chat template probably drops system messages; set "
        "SPYGLASS_LLM_SYSTEM_ROLE=false"
    ]


def chat_messages(config: LLMConfig, instructions: str, user: str) -> list[dict]:
    if config.system_role:
        return [{"role": "system", "content": instructions}, {"role": "user", "content": user}]
    return [{"role": "user", "content": f"{instructions}\n\n{user}"}]


@dataclass
class Answer:
    content: str
    usage: Any = None
    finish_reason: str = ""
    refusal: str = ""


def request_body(
    config: LLMConfig,
    messages: list[dict],
    vocabulary: Vocabulary,
    *,
    mode: str | None = None,
    max_tokens: int | None = None,
) -> dict:
    mode = mode or (config.output if config.output != AUTO else OUTPUT_MODES[0])
    body: dict[str, Any] = {
        "model": config.model,
        "messages": messages,
        "temperature": config.temperature,
        config.max_tokens_param: max_tokens or config.max_tokens,
    }
    if mode == "json_schema":
        body["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": "record", "strict": True, "schema": answer_schema(vocabulary)},
        }
    elif mode == "json_object_schema":
        # llama.cpp's servers take the schema here and decode under its grammar.
        schema = answer_schema(vocabulary, bounded=True)
        body["response_format"] = {"type": "json_object", "schema": schema}
    elif mode == "json_object":
        body["response_format"] = {"type": "json_object"}
    return body


def answer_schema(vocabulary: Vocabulary, *, bounded: bool = False) -> dict:
    """The result schema, with category and type held to the vocabulary's names.

    `bounded`: every list with its limit from limits.py as maxItems, for servers that decode
    under a grammar made from the schema (json_object_schema: llama.cpp). A small model
    there otherwise repeats list items until the token limit cuts the JSON off. Not sent in
    json_schema mode: strict structured outputs refuse some such keywords, and `normalise`
    cuts the lists anyway. Strings get no maxLength: llama-cpp-python expands it into one
    nested grammar rule per character, which its grammar parser fails on at these lengths.
    """
    schema = copy.deepcopy(ClassificationResult.model_json_schema())
    for key, names in (("category", vocabulary.categories), ("type", vocabulary.types)):
        if names:
            schema["properties"][key]["enum"] = list(names)
    if bounded:
        _bound(schema)
    return schema


# A list property's name -> how many items it may hold.
_MAX_ITEMS = {
    "keywords": limits.MAX_KEYWORDS,
    "themes": limits.MAX_THEMES,
    **{kind: limits.MAX_FINDINGS for kind in FINDING_KINDS},
}


def _bound(node: dict) -> None:
    for key, prop in node.get("properties", {}).items():
        if prop.get("type") != "array":
            continue
        if key in _MAX_ITEMS:
            prop["maxItems"] = _MAX_ITEMS[key]
        if prop.get("items", {}).get("type") == "object":
            _bound(prop["items"])


def send(
    client: httpx.Client,
    config: LLMConfig,
    body: dict,
    deadline: Deadline | None = None,
    *,
    mode: str = "",
) -> Answer:
    """POST one chat completion; raise LLMTransientError or LLMError when it does not answer,
    and ModeRefused when `mode` is given and the endpoint refuses it."""
    timeout = config.timeout
    if deadline is not None:
        if deadline.remaining <= 0:
            raise deadline.error()
        timeout = min(timeout, deadline.remaining)
    try:
        response = client.post(config.endpoint, json=body, timeout=timeout)
    except httpx.TimeoutException:
        if deadline is not None and deadline.remaining <= 0.05:
            raise deadline.error("the model was still answering") from None
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
        if mode and refuses_mode(response, mode):
            said = _provider_message(response)
            raise ModeRefused(mode, f"HTTP {response.status_code}" + (f": {said}" if said else ""))
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


_FORMAT_WORDS = ("response_format", "json_schema", "json_object", "schema", "grammar")
_OTHER_PROBLEMS = ("context", "too long", "max_tokens", "max_completion_tokens", "temperature")


def refuses_mode(response: httpx.Response, mode: str) -> bool:
    """Whether an error answer refuses the output mode rather than the request as a whole.

    400 and 422 do, unless they name another problem (the context length, a parameter) and
    not the format; a 500 only when its message is about the format (llama-cpp-python's
    server answers a json_schema request with a 500 and pydantic's "Input should be 'text'
    or 'json_object'"). A text-mode request sends no format, so it is never refused as one.
    """
    if mode == "text":
        return False
    status = response.status_code
    lowered = response.text.lower()
    about_format = any(word in lowered for word in _FORMAT_WORDS)
    if status in (400, 422):
        return about_format or not any(word in lowered for word in _OTHER_PROBLEMS)
    return status == 500 and about_format


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


def parse_answer(
    answer: Answer, vocabulary: Vocabulary, *, last: bool = False
) -> ClassificationResult:
    """The answer as a normalised result, or ClassificationError saying what is wrong.

    `last`: no re-ask follows, so a category or type outside the vocabulary that is close
    to no name in it becomes the vocabulary's catch-all ("others", "other") where it has one.
    """
    if answer.refusal:
        raise ClassificationError(f"the model refused: {_excerpt(answer.refusal)}")
    try:
        raw = json.loads(json_text(answer.content))
    except ValueError as error:
        if answer.finish_reason == "length":
            salvaged = salvage_cut_answer(answer.content, vocabulary, last=last)
            if salvaged is not None:
                return salvaged
            raise ClassificationError(
                "the answer was cut off at the token limit before the JSON object ended"
            ) from None
        raise ClassificationError(f"the answer is not a JSON object ({error})") from None
    return _result(raw, vocabulary, last=last)


def _result(raw: Any, vocabulary: Vocabulary, *, last: bool) -> ClassificationResult:
    spelled, problems = _vocabulary_names(raw, vocabulary, last=last)
    try:
        result = normalise(raw)
    except ClassificationError as error:
        problems = error.problems + problems
    if problems:
        raise ClassificationError(
            "the result does not fit the schema: " + "; ".join(problems), problems
        )
    return result.model_copy(update=spelled)


SALVAGE_TRIES = 60
CUT_NOTE = (
    "an answer was cut off at the token limit (SPYGLASS_LLM_MAX_TOKENS): what followed its "
    "last complete field was dropped"
)
_CLOSERS = {"{": "}", "[": "]"}


def salvage_cut_answer(
    content: str, vocabulary: Vocabulary, *, last: bool = False
) -> ClassificationResult | None:
    """The longest complete beginning of an answer the token limit cut off, when it fits
    the schema on its own: everything up to the last complete field or list item, with the
    open lists and objects closed. A small model often writes on (copying the page into a
    description) until the limit; what it wrote before is kept instead of lost.
    """
    start = content.find("{")
    if start == -1:
        return None
    text = content[start:]
    stack: list[str] = []
    cuts: list[tuple[int, str]] = []  # (end of a complete prefix, the closers it needs)
    in_string = escaped = False
    for at, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in _CLOSERS:
            stack.append(_CLOSERS[char])
        elif char in "}]" and stack:
            stack.pop()
        elif char == "," and stack:
            cuts.append((at, "".join(reversed(stack))))
    for end, closers in reversed(cuts[-SALVAGE_TRIES:]):
        try:
            raw = json.loads(text[:end] + closers)
            return _result(raw, vocabulary, last=last)
        except (ValueError, ClassificationError):
            continue
    return None


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


CATCH_ALL = ("others", "other", "misc", "miscellaneous")


def _vocabulary_names(raw: Any, vocabulary: Vocabulary, *, last: bool) -> tuple[dict, list[str]]:
    """Category and type as the vocabulary spells them (a near miss taken as the name it is
    close to), and the problems when not in it."""
    spelled, problems = {}, []
    for key, names in (("category", vocabulary.categories), ("type", vocabulary.types)):
        given = raw.get(key) if isinstance(raw, dict) else None
        if not names or not isinstance(given, str):
            continue  # no vocabulary to hold it to, or normalise reports it
        known = {name_key(name): name for name in names}
        close = difflib.get_close_matches(name_key(given), list(known), n=1, cutoff=0.8)
        catch_all = next((known[k] for k in CATCH_ALL if k in known), "") if last else ""
        if name_key(given) in known:
            spelled[key] = known[name_key(given)]
        elif close:
            spelled[key] = known[close[0]]
        elif catch_all:
            spelled[key] = catch_all
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
