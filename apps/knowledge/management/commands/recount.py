"""Retire every cached count, so the next page counts from the tables (docs/performance.md).

Changes made through Spyglass do this by themselves; this is for rows changed behind its
back (SQL by hand, a database restored from a dump) or a cache shared with another base.
"""

from django.core.management.base import BaseCommand

from apps.core.dashboard import dashboard
from apps.knowledge import cache


class Command(BaseCommand):
    help = "Retire the cached counts (explorer, theme pages, dashboard) and count again."

    def handle(self, *args, **options) -> None:
        cache.reset()
        figures = {count.key: count.value for count in dashboard().counts}
        listed = ", ".join(f"{value:,} {key}" for key, value in figures.items())
        self.stdout.write(f"Cached counts retired; counted again: {listed}.")
