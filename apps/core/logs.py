"""Logs a machine can read: every line a pipeline stage writes carries its source id.

`working_on(source_id)` marks the stage's context; `SourceFilter` copies the id onto each
record (also those of libraries, such as trafilatura or httpx, written meanwhile), and the
formatters show it: `source=42` in the plain format, a `source_id` key in JSON lines
(LOG_FORMAT=json, for log collectors).
"""

import contextlib
import contextvars
import json
import logging
from collections.abc import Iterator

_source: contextvars.ContextVar[int | None] = contextvars.ContextVar("source", default=None)


@contextlib.contextmanager
def working_on(source_id: int) -> Iterator[None]:
    token = _source.set(source_id)
    try:
        yield
    finally:
        _source.reset(token)


class SourceFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        source_id = getattr(record, "source_id", None) or _source.get()
        record.source_id = source_id
        record.source = f" source={source_id}" if source_id else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, source_id, and extras."""

    FIELDS = ("stage", "outcome", "seconds", "failure_code")

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "source_id": getattr(record, "source_id", None),
        }
        line.update({key: getattr(record, key) for key in self.FIELDS if hasattr(record, key)})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
