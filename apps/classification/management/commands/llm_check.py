"""`manage.py llm_check`: which output mode does the configured LLM endpoint accept, and does
it answer a tiny page in the schema? The mode found is remembered for the pipeline."""

from dataclasses import replace

from django.core.management.base import BaseCommand, CommandError

from apps.classification.base import Page, Vocabulary
from apps.classification.endpoints import DatabaseMemory
from apps.classification.llm import (
    AUTO,
    MODE_LABELS,
    OUTPUT_MODES,
    LLMClassifier,
    LLMConfig,
    LLMError,
    LLMRun,
)
from apps.classification.schema import ClassificationError

CHECK_PAGE = Page(
    url="https://example.org/spyglass-check",
    title="Harbour towns store tidal energy in community batteries",
    text=(
        "Three harbour towns now store the energy of the tides in community batteries paid "
        "for by a cooperative of fishermen and shop owners. Members buy shares and receive "
        "cheaper power. Critics point to the cost of maintenance in salt water; five more "
        "towns plan cooperatives of their own."
    ),
    site_name="Spyglass",
    language="en",
)
CHECK_VOCABULARY = Vocabulary.build(
    {"energy": ["power"], "climate": [], "cooperatives": ["co-ops"]}
)


class Command(BaseCommand):
    help = (
        "Find the output mode the configured LLM endpoint accepts (json_schema, then "
        "json_object with the schema, json_object, text), send it a tiny page, and report. "
        "The mode found is remembered for the pipeline."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            choices=(AUTO, *OUTPUT_MODES),
            help="try this output mode only (default: the SPYGLASS_LLM_OUTPUT setting)",
        )
        parser.add_argument("--raw", action="store_true", help="print the model's raw answer")

    def handle(self, *args, output: str | None, raw: bool, **options):
        try:
            config = LLMConfig.from_settings()
        except LLMError as error:
            raise CommandError(error.message) from None
        if output:
            config = replace(config, output=output)
        wanted = "negotiated" if config.output == AUTO else f"{config.output} only"
        self.stdout.write(
            f"Asking {config.endpoint} (model {config.model}, output mode {wanted})..."
        )
        classifier = LLMClassifier(config, DatabaseMemory(), fresh=True)
        try:
            result, run = classifier.classify_with_run(CHECK_PAGE, CHECK_VOCABULARY)
        except ClassificationError as error:
            run = getattr(error, "run", None)
            self._report_modes(run)
            self._print_raw(run, raw)
            raise CommandError(self._failure(error)) from None
        self._report_modes(run)
        self._print_raw(run, raw)
        tokens = (
            f", {run.prompt_tokens} + {run.completion_tokens} tokens"
            if run.prompt_tokens is not None
            else ""
        )
        attempts = "first answer" if run.attempts == 1 else f"{run.attempts} attempts"
        self.stdout.write(
            self.style.SUCCESS(
                f"OK: the endpoint answered in the schema ({attempts}, "
                f"{run.duration_ms / 1000:.1f} s{tokens})."
            )
        )
        self.stdout.write(f"Output mode: {run.output} ({MODE_LABELS[run.output]}).")
        for warning in run.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}."))
        if config.output == AUTO:
            self.stdout.write(
                "Remembered for this endpoint and model: the pipeline uses it from now on."
            )
        self.stdout.write(f"category: {result.category}; type: {result.type}")
        self.stdout.write(f"themes: {', '.join(result.themes) or '(none)'}")

    def _report_modes(self, run: LLMRun | None) -> None:
        if run is None:
            return
        if run.limits is not None:
            where = (
                "reported by the server's " + run.limits.source
                if run.limits.source != "settings"
                else "SPYGLASS_LLM_CONTEXT: the server does not report it"
            )
            self.stdout.write(
                f"Context: {run.limits.context} tokens ({where}); answers up to "
                f"{run.limits.max_tokens} tokens."
            )
        for mode, said in run.refused:
            self.stdout.write(f"  {mode}: refused ({said})")
        if run.output:
            self.stdout.write(f"  {run.output}: accepted")

    def _failure(self, error: ClassificationError) -> str:
        kind = "temporary failure" if getattr(error, "transient", False) else "failed"
        return f"LLM check {kind}: {error}"

    def _print_raw(self, run: LLMRun | None, raw: bool) -> None:
        if raw and run is not None:
            for number, response in enumerate(run.responses, 1):
                self.stdout.write(f"--- answer {number} ---\n{response}")
