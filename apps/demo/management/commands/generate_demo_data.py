"""Fill the database with realistic synthetic data, or remove it (docs/demo-data.md)."""

import argparse
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.demo.services import demo_data_clear, demo_data_generate


class Command(BaseCommand):
    help = (
        "Generate demo data: N sources with findings, themes and keywords, deterministic for "
        "a seed. --clear removes demo data (alone, or before generating)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sources", type=int, help="sources to create (e.g. 100000)")
        parser.add_argument(
            "--findings-per-source",
            type=float,
            default=10,
            help="signals per source on average; behaviors, technologies and issues a "
            "quarter of that each (10)",
        )
        parser.add_argument("--themes", type=int, default=300, help="themes (300)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
        parser.add_argument(
            "--until",
            type=_day,
            help="last day of the ten years the dates cover, YYYY-MM-DD (today)",
        )
        parser.add_argument(
            "--force", action="store_true", help="add demo data beside data that is not demo"
        )
        parser.add_argument("--clear", action="store_true", help="remove demo data first")

    def handle(self, *args, **options) -> None:
        if options["sources"] is None and not options["clear"]:
            raise CommandError("give --sources N (or --clear to remove demo data).")
        if options["clear"]:
            removed = demo_data_clear(progress=self._say)
            self._say(f"Removed {removed:,} demo rows.")
        if options["sources"] is None:
            return
        try:
            dataset = demo_data_generate(
                sources=options["sources"],
                findings_per_source=options["findings_per_source"],
                themes=options["themes"],
                seed=options["seed"],
                until=options["until"],
                force=options["force"],
                progress=self._say,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(_messages(exc))) from exc
        counts = ", ".join(
            f"{n:,} {table}" for table, n in dataset.counts.items() if n and table != "users"
        )
        self._say(f"Done in {dataset.seconds} s: {counts}.")

    def _say(self, line: str) -> None:
        self.stdout.write(line)


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"--{field.replace('_', '-')}: {' '.join(m)}" for field, m in exc.message_dict.items()
        ]
    return exc.messages


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"give a date as YYYY-MM-DD (got {value!r})") from None
