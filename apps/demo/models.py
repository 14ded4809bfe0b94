"""What `generate_demo_data` wrote, so the rows can be told apart from real ones and removed."""

from django.db import models


class DemoDataset(models.Model):
    """One run of `generate_demo_data`: its arguments and the id range it used per table.

    Demo rows are written with ids the generator chose (a contiguous range per table), so
    this row is the marker: a row whose id lies in a recorded range is demo data, anything
    else is not. `--clear` deletes the ranges; the browse benchmark reuses a base whose
    arguments match its size and seed.
    """

    seed = models.BigIntegerField()
    sources = models.PositiveIntegerField()
    findings_per_source = models.FloatField()
    themes = models.PositiveIntegerField()
    until = models.DateField()
    # {db_table: [first id, last id]} for every table the run wrote.
    id_ranges = models.JSONField(default=dict)
    counts = models.JSONField(default=dict)
    seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"demo data: {self.sources} sources, seed {self.seed}"

    def arguments(self) -> dict:
        return {
            "sources": self.sources,
            "findings_per_source": self.findings_per_source,
            "themes": self.themes,
            "seed": self.seed,
        }
