"""The third-party corpora in ../shared/corpus/ and a local HTTP server for their pages.

The corpora live next to the project, never inside it (a user's clone has no ../shared):
a benchmark asks `corpus_dir()` / `article_benchmark()` and skips when they return None.
Pages are served in place, never copied into the repository.
"""

import json
import re
import threading
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
CORPUS_DIR = PROJECT_DIR.parent / "shared" / "corpus"
ARTICLE_BENCHMARK = "article-extraction-benchmark"


def corpus_dir(name: str) -> Path | None:
    """The folder of one corpus, or None when it is absent (then skip, with a message)."""
    folder = CORPUS_DIR / name
    return folder if folder.is_dir() else None


@dataclass(frozen=True)
class ArticleBenchmark:
    """181 news and blog pages (`html/<sha256>.html`) with their true article bodies."""

    folder: Path

    @property
    def html_dir(self) -> Path:
        return self.folder / "html"

    def ground_truth(self) -> dict[str, str]:
        """{page key (sha256): true article body}, sorted by key."""
        data = json.loads((self.folder / "ground-truth.json").read_text(encoding="utf-8"))
        return {key: data[key].get("articleBody") or "" for key in sorted(data)}

    def reference_output(self, extractor: str) -> dict[str, str]:
        """{page key: text} that `extractor` produced (reference-outputs/<extractor>.json)."""
        path = self.folder / "reference-outputs" / f"{extractor}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        if set(data) == {"version", "output"}:  # some files wrap their output
            data = data["output"]
        return {
            key: (value.get("articleBody") if isinstance(value, dict) else value) or ""
            for key, value in data.items()
        }

    def page_path(self, key: str) -> Path:
        return self.html_dir / f"{key}.html"


def article_benchmark() -> ArticleBenchmark | None:
    folder = corpus_dir(ARTICLE_BENCHMARK)
    if folder is None or not (folder / "ground-truth.json").is_file():
        return None
    return ArticleBenchmark(folder)


class _PageHandler(SimpleHTTPRequestHandler):
    """Serves `<name>.html` files of one folder, flat, as UTF-8 HTML; nothing else."""

    NAME = re.compile(r"^/([A-Za-z0-9_-]{1,128})\.html$")

    def do_GET(self) -> None:
        self._serve(with_body=True)

    def do_HEAD(self) -> None:
        self._serve(with_body=False)

    def _serve(self, *, with_body: bool) -> None:
        match = self.NAME.match(self.path.split("?", 1)[0])
        path = Path(self.directory) / f"{match.group(1)}.html" if match else None
        if path is None or not path.is_file():
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        body = path.read_bytes()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, format, *args) -> None:
        pass  # one line per request would drown the benchmark's output


class PageServer:
    """A threaded HTTP server on 127.0.0.1 (a free port) serving the `.html` files of a folder.

    with PageServer(folder) as server: server.url_for("abc") -> "http://127.0.0.1:PORT/abc.html"
    """

    def __init__(self, folder: Path, host: str = "127.0.0.1", port: int = 0):
        handler = partial(_PageHandler, directory=str(folder))
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def url_for(self, name: str) -> str:
        return f"{self.base_url}{name}.html"

    def start(self) -> "PageServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "PageServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
