"""A small OpenAI-compatible HTTP server on 127.0.0.1, scripted by each test.

It stands in for the outside LLM provider only: the code under test talks real HTTP to it.
A test queues replies (status, headers, body, delay) and reads back the requests it got.
With nothing queued it answers 500, so a forgotten reply fails loudly instead of hanging.

Only chat completions (POST .../chat/completions) take queued replies and are kept in
`requests`. Other paths (the limits the classifier asks about: GET /props, GET /v1/models,
POST /api/show) answer from `routes`, 404 by default, and are kept in `other_requests`.
`refuse(...)` makes it refuse output modes the way real servers do (see LLAMA_CPP_REFUSAL).
POST .../embeddings answers from `embedder` when a test sets one (a function from the input
texts to one vector each), as OpenAI's embeddings endpoint does; those requests are kept in
`other_requests` too.
"""

import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    body: Any = ""  # a dict or list is sent as JSON, a str or bytes as it is
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


def completion(content: str | None, *, usage: dict | None = None, **message: Any) -> dict:
    """An OpenAI chat completion body whose one choice says `content`."""
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "test-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, **message},
                "finish_reason": "stop",
            }
        ],
    }
    if usage is not None:
        body["usage"] = usage
    return body


def error_body(message: str, *, type: str = "invalid_request_error") -> dict:
    return {"error": {"message": message, "type": type, "code": None}}


# What llama-cpp-python's server (0.3.36, measured) answers a response_format of type
# json_schema: HTTP 500 with pydantic's validation error and a traceback line as the message.
LLAMA_CPP_REFUSAL = {
    "error": {
        "message": (
            "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', "
            "'type'), 'msg': \"Input should be 'text' or 'json_object'\", 'input': "
            "'json_schema', 'ctx': {'expected': \"'text' or 'json_object'\"}}\n\n  File "
            '"/venv/lib/python3.11/site-packages/llama_cpp/server/app.py", line 376, in '
            "create_chat_completion\n    POST /v1/chat/completions"
        ),
        "type": "internal_server_error",
        "param": None,
        "code": None,
    }
}


def output_mode(body: dict) -> str:
    """The output mode a chat request asks for, in the classifier's names."""
    response_format = body.get("response_format")
    if not isinstance(response_format, dict):
        return "text"
    kind = response_format.get("type", "")
    return "json_object_schema" if kind == "json_object" and "schema" in response_format else kind


class OpenAIServer:
    """Start with `with OpenAIServer() as server:`; `server.base_url` ends in /v1."""

    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.requests: list[Request] = []  # chat completions
        self.other_requests: list[Request] = []
        self.routes: dict[tuple[str, str], Reply] = {}  # (method, path) -> reply
        self.refused: dict[str, Reply] = {}  # output mode -> the refusal
        # When set, called for each request that finds the queue empty.
        self.responder: Callable[[Request], Reply] | None = None
        # When set, POST .../embeddings answers with its vectors for the request's input.
        self.embedder: Callable[[list[str]], list[list[float]]] | None = None
        self._closing = threading.Event()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def reply(self, body: Any = "", *, status: int = 200, headers=None, delay: float = 0.0):
        self.replies.append(Reply(status=status, body=body, headers=headers or {}, delay=delay))

    def answer(self, content: str, *, usage: dict | None = None, delay: float = 0.0) -> None:
        """Queue a successful chat completion whose message content is `content`."""
        self.reply(completion(content, usage=usage), delay=delay)

    def refuse(self, *modes: str, status: int = 500, body: Any = None) -> None:
        """Refuse chat requests in these output modes (not taking a queued reply); by default
        as llama-cpp-python's server refuses json_schema."""
        for mode in modes:
            self.refused[mode] = Reply(
                status=status, body=LLAMA_CPP_REFUSAL if body is None else body
            )

    def route(self, method: str, path: str, body: Any, *, status: int = 200) -> None:
        self.routes[(method, path)] = Reply(status=status, body=body)

    def start(self) -> "OpenAIServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering; the port refuses connections from then on. Safe to call twice."""
        if self._closing.is_set():
            return
        self._closing.set()  # wakes handlers sleeping through a delay
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "OpenAIServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _next_reply(self, request: Request) -> Reply:
        if not (request.method == "POST" and request.path.endswith("/chat/completions")):
            with self._lock:
                self.other_requests.append(request)
            found = self.routes.get((request.method, request.path.split("?")[0]))
            if found is None and self.embedder and request.path.endswith("/embeddings"):
                return self._embeddings(request)
            return found or Reply(status=404, body=error_body("not found", type="not_found"))
        try:
            mode = output_mode(request.json)
        except (ValueError, AttributeError):
            mode = ""
        with self._lock:
            self.requests.append(request)
            if mode in self.refused:
                return self.refused[mode]
            if self.replies:
                return self.replies.popleft()
        if self.responder is not None:
            return self.responder(request)
        return Reply(status=500, body=error_body("no reply scripted", type="server_error"))

    def _embeddings(self, request: Request) -> Reply:
        texts = request.json.get("input", [])
        texts = [texts] if isinstance(texts, str) else texts
        data = [
            {"object": "embedding", "index": i, "embedding": vector}
            for i, vector in enumerate(self.embedder(texts))
        ]
        body = {"object": "list", "data": data, "model": request.json.get("model", "")}
        return Reply(body=body)

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                request = Request(
                    method=self.command,
                    path=self.path,
                    headers={name.lower(): value for name, value in self.headers.items()},
                    body=self.rfile.read(length),
                )
                reply = server._next_reply(request)
                if reply.delay and server._closing.wait(reply.delay):
                    return
                body = reply.body
                if isinstance(body, dict | list):
                    body = json.dumps(body)
                if isinstance(body, str):
                    body = body.encode()
                try:
                    self.send_response(reply.status)
                    headers = {"Content-Type": "application/json", **reply.headers}
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test): nothing left to tell it

            def log_message(self, format: str, *args) -> None:
                pass

        return Handler
