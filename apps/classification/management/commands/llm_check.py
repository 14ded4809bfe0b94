"""`manage.py llm_check`: does the configured LLM endpoint answer a tiny page in the schema?"""

from dataclasses import replace

from django.core.management.base import BaseCommand, CommandError

from apps.classification.base import Page, Vocabulary
from apps.classification.llm import OUTPUT_MODES, LLMClassifier, LLMConfig, LLMError, LLMRun
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
    help = "Send a tiny page to the configured LLM endpoint and report whether it answers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", choices=OUTPUT_MODES, help="try this output mode instead of the setting"
        )
        parser.add_argument("--raw", action="store_true", help="print the model's raw answer")

    def handle(self, *args, output: str | None, raw: bool, **options):
        try:
            config = LLMConfig.from_settings()
        except LLMError as error:
            raise CommandError(error.message) from None
        if output:
            config = replace(config, output=output)
        self.stdout.write(
            f"Asking {config.endpoint} (model {config.model}, output {config.output})..."
        )
        try:
            result, run = LLMClassifier(config).classify_with_run(CHECK_PAGE, CHECK_VOCABULARY)
        except ClassificationError as error:
            self._print_raw(getattr(error, "run", None), raw)
            raise CommandError(self._failure(error, config)) from None
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
        self.stdout.write(f"category: {result.category}; type: {result.type}")
        self.stdout.write(f"themes: {', '.join(result.themes) or '(none)'}")

    def _failure(self, error: ClassificationError, config: LLMConfig) -> str:
        kind = "temporary failure" if getattr(error, "transient", False) else "failed"
        message = f"LLM check {kind}: {error}"
        if getattr(error, "code", "") == "llm_output_unsupported":
            working = self._working_modes(config)
            if working:
                message += f"\nThese output modes work: {', '.join(working)}."
        return message

    def _working_modes(self, config: LLMConfig) -> list[str]:
        """Which other output modes this endpoint accepts: a hint for SPYGLASS_LLM_OUTPUT."""
        working = []
        for mode in OUTPUT_MODES:
            if mode == config.output:
                continue
            try:
                LLMClassifier(replace(config, output=mode)).classify(CHECK_PAGE, CHECK_VOCABULARY)
            except ClassificationError:
                continue
            working.append(mode)
        return working

    def _print_raw(self, run: LLMRun | None, raw: bool) -> None:
        if raw and run is not None:
            for number, response in enumerate(run.responses, 1):
                self.stdout.write(f"--- answer {number} ---\n{response}")
