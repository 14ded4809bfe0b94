"""What an LLM server reports about its limits: the context length and the longest answer
(the `llm` classifier sizes its requests to them; docs/llm.md)."""

import re
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from .llm import LLMConfig

PROBE_TIMEOUT = 3.0  # seconds for each request that asks the server about its limits


def probe_limits(client: httpx.Client, config: "LLMConfig") -> tuple[int | None, int | None, str]:
    """The context length and output limit the server reports, and where it said so.

    Asked, in turn: llama.cpp's GET /props (n_ctx), GET /v1/models (vLLM's max_model_len,
    LM Studio's and OpenRouter's context_length, max_completion_tokens), Ollama's POST
    /api/show (num_ctx among the model's parameters). Any failure means "not reported".
    """
    for path, ask in (
        ("/props", lambda: client.get(config.root + "/props", timeout=PROBE_TIMEOUT)),
        (
            "/v1/models",
            lambda: client.get(config.base_url.rstrip("/") + "/models", timeout=PROBE_TIMEOUT),
        ),
        (
            "/api/show",
            lambda: client.post(
                config.root + "/api/show", json={"model": config.model}, timeout=PROBE_TIMEOUT
            ),
        ),
    ):
        try:
            response = ask()
            data = response.json() if response.status_code == 200 else None
        except (httpx.HTTPError, OSError, ValueError):
            continue
        context, output = _reported_limits(path, data, config.model)
        if context or output:
            return context, output, path
    return None, None, ""


def _reported_limits(path: str, data: Any, model: str) -> tuple[int | None, int | None]:
    if not isinstance(data, dict):
        return None, None
    if path == "/props":
        settings_ = data.get("default_generation_settings")
        nested = settings_.get("n_ctx") if isinstance(settings_, dict) else None
        return _positive(data.get("n_ctx") or nested), None
    if path == "/v1/models":
        entries = data.get("data") if isinstance(data.get("data"), list) else []
        entry = next(
            (e for e in entries if isinstance(e, dict) and e.get("id") == model),
            entries[0] if len(entries) == 1 and isinstance(entries[0], dict) else None,
        )
        if entry is None:
            return None, None
        meta = entry.get("meta") if isinstance(entry.get("meta"), dict) else {}
        provider = entry.get("top_provider") if isinstance(entry.get("top_provider"), dict) else {}
        context = next(
            filter(
                None,
                (
                    _positive(entry.get(key))
                    for key in ("max_model_len", "context_length", "max_context_length", "n_ctx")
                ),
            ),
            _positive(meta.get("n_ctx")),
        )
        output = _positive(
            entry.get("max_completion_tokens") or provider.get("max_completion_tokens")
        )
        return context, output
    if path == "/api/show":
        # Ollama runs a model with num_ctx (from its Modelfile) tokens, whatever the model
        # was trained for: only that figure is the context a request really gets.
        parameters = data.get("parameters")
        found = (
            re.search(r"^\s*num_ctx\s+(\d+)", parameters, re.M)
            if isinstance(parameters, str)
            else None
        )
        return (_positive(int(found.group(1))) if found else None), None
    return None, None


def _positive(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None
