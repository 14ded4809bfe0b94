"""The generator behind `generate_demo_data`: vocabularies first, then sources in batches.

Each batch of sources is built in memory with its keywords, theme links, submissions and
findings (and their theme links), written, and dropped, so memory stays flat however many
sources are asked for. One seeded random source drives everything in a fixed order: a seed
and the same arguments give the same base.
"""

import random
from datetime import date, timedelta

from django.utils.text import slugify

from apps.core.models import Origin
from apps.demo import plan, words
from apps.demo.tables import Table
from apps.demo.text import Writer
from apps.knowledge.models import (
    FINDING_MODELS,
    Category,
    Keyword,
    SourceType,
    Theme,
    ThemeAlias,
    ThemeRelation,
    ThemeSuggestion,
)
from apps.knowledge.vocabulary import name_key
from apps.sources.models import Source, SourceKeyword, SourceTheme, Submission

FINDING_FIELDS = (
    "id source position name description relevancy confidence reviewed_at reviewed_by "
    "origin version created_at updated_at"
).split()
SIGNAL_FIELDS = (*FINDING_FIELDS, "change", "ten_year", "driving_force")
LINK_FIELDS = ("theme", "position", "origin", "added_at")


class Generator:
    def __init__(self, *, seed: int, until: date, users: dict):
        self.rng = random.Random(seed)
        self.text = Writer(self.rng)
        self.clock = plan.Clock(self.rng, until)
        self.editor, self.analysts = users["editor"], users["analysts"]
        self.tables: dict[str, Table] = {}

    def table(self, model, fields) -> Table:
        table = Table(model, fields)
        self.tables[table.name] = table
        return table

    # Vocabularies --------------------------------------------------------------------

    def vocabularies(self, theme_count: int) -> None:
        rng, now = self.rng, self.clock.end
        named = self.text.theme_names(theme_count)
        proposed_count = int(theme_count * plan.PROPOSED_SHARE) if theme_count >= 10 else 0
        themes = self.table(Theme, ["id", "name", "slug", "description", "status", "created_at"])
        ids = list(themes.take_ids(theme_count))
        rows, aliases = [], []
        for index, (pk, (name, alias)) in enumerate(zip(ids, named, strict=True)):
            status = Theme.Status.PROPOSED if index >= theme_count - proposed_count else "approved"
            created = self.clock.submitted()
            rows.append((pk, name, name_key(name), self.text.sentence(), status, created))
            if alias and status == "approved" and rng.random() < plan.ALIAS_SHARE:
                aliases.append((pk, alias, name_key(alias)))
        themes.write(rows)
        self.table(ThemeAlias, ["id", "theme", "name", "key"]).write_numbered(aliases)
        # Approved themes in rank order (the first is the most used), proposed at the end.
        self.approved = ids[: theme_count - proposed_count]
        self.proposed = [
            (pk, name) for pk, (name, _) in list(zip(ids, named, strict=True))[len(self.approved) :]
        ]
        self.theme_picker = plan.zipf(rng, self.approved)
        pairs = {
            tuple(sorted(rng.sample(self.approved, 2)))
            for _ in range(int(len(self.approved) * plan.RELATION_SHARE))
            if len(self.approved) > 1
        }
        relations = self.table(ThemeRelation, ["id", "theme_a", "theme_b", "added_by", "added_at"])
        relations.write_numbered([(a, b, self.editor, now) for a, b in sorted(pairs)])
        keywords = self.table(Keyword, ["id", "key", "name"])
        names = self.text.keyword_names(max(30, theme_count * plan.KEYWORDS_PER_THEME))
        keyword_ids = keywords.take_ids(len(names))
        keywords.write((pk, name_key(n), n) for pk, n in zip(keyword_ids, names, strict=True))
        self.keyword_picker = plan.zipf(rng, list(zip(keyword_ids, names, strict=True)))
        self.categories = plan.Picker(rng, *_weights(Category, plan.CATEGORY_WEIGHTS))
        self.types = plan.Picker(rng, *_weights(SourceType, plan.TYPE_WEIGHTS))

    # Sources and findings ------------------------------------------------------------

    def prepare_sources(self) -> None:
        self.sources = self.table(
            Source,
            "id url canonical_url final_url title site_name author published_on language "
            "category source_type summary extracted_text status stage status_changed_at "
            "http_status content_type charset fetched_at submitted_by submitted_at origin "
            "created_at updated_at".split(),
        )
        self.source_themes = self.table(SourceTheme, ["id", "source", *LINK_FIELDS])
        self.source_keywords = self.table(
            SourceKeyword, ["id", "source", "keyword", "position", "label", "origin"]
        )
        self.suggestions = self.table(
            ThemeSuggestion, ["id", "theme", "source", "name", "created_at"]
        )
        self.submissions = self.table(
            Submission, ["id", "source", "submitted_by", "submitted_at", "url"]
        )
        self.findings, self.finding_links = {}, {}
        for kind, model in FINDING_MODELS.items():
            fields = SIGNAL_FIELDS if kind == "signals" else FINDING_FIELDS
            self.findings[kind] = self.table(model, fields)
            owner = model._meta.model_name
            self.finding_links[kind] = self.table(model.themes.through, ["id", owner, *LINK_FIELDS])
        self.theme_counts = {"sources": plan.weighted(self.rng, plan.THEMES_PER_SOURCE)}
        self.relevancy = plan.weighted(self.rng, plan.RELEVANCY)

    def batch(self, count: int, totals: dict[str, int]) -> None:
        """`count` sources and, per kind, exactly `totals[kind]` findings spread over them."""
        ids = list(self.sources.take_ids(count))
        rows, themes_of, made = [], {}, {}
        st_rows, sk_rows, sug_rows, sub_rows = [], [], [], []
        for pk in ids:
            source = self._source(pk)
            rows.append(source["row"])
            made[pk] = source
            themes_of[pk] = self.theme_picker.distinct(self.theme_counts["sources"].one())
            origin, at = source["origin"], source["at"]
            st_rows += [(pk, t, p, origin, at) for p, t in enumerate(themes_of[pk])]
            for p, (kw, label) in enumerate(
                self.keyword_picker.distinct(self.rng.randint(*plan.KEYWORDS_PER_SOURCE))
            ):
                sk_rows.append((pk, kw, p, label, origin))
            if self.proposed and self.rng.random() < plan.SUGGESTION_SHARE:
                theme, name = self.rng.choice(self.proposed)
                sug_rows.append((theme, pk, name, at))
            if origin == Origin.AI:
                sub_rows.append((pk, source["by"], at, source["url"]))
        self.sources.write(rows)
        self.source_themes.write_numbered(st_rows)
        self.source_keywords.write_numbered(sk_rows)
        self.suggestions.write_numbered(sug_rows)
        self.submissions.write_numbered(sub_rows)
        for kind, total in totals.items():
            owners = sorted(self.rng.choices(ids, k=total))
            self._findings(kind, owners, made, themes_of)

    def _source(self, pk: int) -> dict:
        rng, text = self.rng, self.text
        at = self.clock.submitted()
        title = text.title()
        site = rng.choice(words.SITES)
        url = f"https://{slugify(site)}.example/{at:%Y/%m}/{slugify(title)[:60]}-{pk}"
        published = at.date() - timedelta(days=rng.randint(0, 60))
        imported = rng.random() < plan.IMPORTED_SHARE
        origin = Origin.IMPORT if imported else Origin.AI
        by = None if imported else rng.choice(self.analysts)
        done = self.clock.later(at, 0.01)
        row = (
            pk, url, url, url, title, site, text.author(),
            published if rng.random() < 0.8 else None, "en",
            self.categories.one(), self.types.one(), text.sentences(3, 5), text.body(),
            Source.Status.DONE, Source.Stage.CLASSIFY, done, 200, "text/html", "utf-8",
            done, by, at, origin, at, done,
        )  # fmt: skip
        return {"row": row, "origin": origin, "at": at, "by": by, "url": url}

    def _findings(self, kind: str, owners: list[int], made: dict, themes_of: dict) -> None:
        table, links = self.findings[kind], self.finding_links[kind]
        ids = table.take_ids(len(owners))
        rows, link_rows = [], []
        position, previous = 0, None
        for pk, owner in zip(ids, owners, strict=True):
            position = position + 1 if owner == previous else 0
            previous = owner
            source = made[owner]
            row, origin, at = self._finding(pk, owner, position, source)
            if kind == "signals":
                row += (self.text.change(), self.text.ten_year(), self.text.driving_force())
            rows.append(row)
            if self.rng.random() < plan.OWN_THEME_SHARE:
                carried = themes_of[owner]
                if self.rng.random() < 0.7:
                    theme = self.rng.choice(carried)
                else:
                    theme = self.theme_picker.one()
                link_rows.append((pk, theme, 0, origin, at))
        table.write(rows)
        links.write_numbered(link_rows)

    def _finding(self, pk: int, owner: int, position: int, source: dict):
        rng = self.rng
        at, origin = source["at"], source["origin"]
        confidence = reviewed_at = reviewed_by = None
        version = 1
        if origin == Origin.AI:
            if rng.random() < plan.EDITOR_ADDED_SHARE:
                origin, at = Origin.EDITOR, self.clock.later(at, 30)
            else:
                confidence = round(rng.betavariate(4, 2.5), 3)
                if rng.random() < plan.REVIEWED_SHARE:
                    reviewed_at, reviewed_by = self.clock.later(at, 20), self.editor
                    version = 2
        row = (
            pk, owner, position, self.text.finding_name(), self.text.sentences(1, 3),
            self.relevancy.one(), confidence, reviewed_at, reviewed_by, origin, version,
            at, reviewed_at or at,
        )  # fmt: skip
        return row, origin, at


def _weights(model, table: dict) -> tuple[list[int], list[int]]:
    """Ids of the vocabulary rows and their weights; rows not in `table` weigh 1."""
    rows = list(model.objects.order_by("pk").values_list("pk", "slug"))
    if not rows:
        raise LookupError(f"the {model._meta.verbose_name} vocabulary is empty")
    return [pk for pk, _ in rows], [table.get(slug, 1) for _, slug in rows]
