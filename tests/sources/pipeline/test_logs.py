"""Pipeline log lines carry their source id, in the plain format and as JSON lines."""

import json
import logging

import pytest

from apps.core.logs import JsonFormatter, SourceFilter, working_on
from apps.sources.models import Source
from apps.sources.pipeline.runner import run_stage
from apps.sources.services import source_submit


def record(message: str = "hello", **extra) -> logging.LogRecord:
    item = logging.LogRecord("trafilatura", logging.WARNING, __file__, 1, message, (), None)
    item.__dict__.update(extra)
    return item


def test_any_line_written_while_a_stage_runs_names_the_source():
    inside, outside = record(), record()
    with working_on(42):
        SourceFilter().filter(inside)
    SourceFilter().filter(outside)

    plain = logging.Formatter("%(levelname)s %(name)s%(source)s: %(message)s")
    assert plain.format(inside) == "WARNING trafilatura source=42: hello"
    assert plain.format(outside) == "WARNING trafilatura: hello"


def test_json_lines_carry_the_source_and_the_stage_outcome():
    item = record("fetch: failed in 0.20 s", stage="fetch", outcome="failed", seconds=0.2)
    with working_on(7):
        SourceFilter().filter(item)

    line = json.loads(JsonFormatter().format(item))

    assert line["source_id"] == 7 and line["stage"] == "fetch" and line["outcome"] == "failed"
    assert line["message"] == "fetch: failed in 0.20 s" and line["level"] == "WARNING"


@pytest.mark.django_db
def test_each_stage_logs_its_outcome_and_duration(site, settings, caplog):
    settings.SPYGLASS_FETCH = {**settings.SPYGLASS_FETCH, "allow_private": True}
    source, _ = source_submit(site.url("/missing-page"))

    with caplog.at_level(logging.INFO, logger="apps.sources.pipeline.runner"):
        run_stage(source.pk, Source.Stage.FETCH)

    [line] = [r for r in caplog.records if r.name == "apps.sources.pipeline.runner"]
    assert line.getMessage().startswith("fetch: failed in ")
    assert (line.stage, line.outcome, line.failure_code) == ("fetch", "failed", "http_404")
