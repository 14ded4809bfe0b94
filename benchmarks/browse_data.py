"""A synthetic knowledge base for the browse benchmark, built in bulk in an empty database.

Rows are the project's models filled the way an import fills them (titles, summaries,
keywords, themes, findings with relevancies, provenance columns left at their defaults),
written with bulk_create: building 50,000 rows one service call at a time would take longer
than the benchmark itself. Users and the API token go through the accounts services.
Everything is seeded, so two runs at one size hold the same base.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from apps.accounts.services import password_generate, user_create
from apps.accounts.tokens import token_create
from apps.core.models import AuditEntry
from apps.knowledge.cache import knowledge_changed
from apps.knowledge.models import (
    FINDING_MODELS,
    Category,
    Keyword,
    SourceType,
    Theme,
    ThemeAlias,
    ThemeRelation,
)
from apps.knowledge.vocabulary import name_key
from apps.sources.models import Source, SourceKeyword, SourceTheme

# Default size (--size 1): the figures the README quotes.
SOURCES = 5_000
FINDINGS = {"signals": 20_000, "behaviors": 5_000, "technologies": 5_000, "issues": 5_000}
THEMES = 300
KEYWORDS = 1_000
THEMES_PER_SOURCE = (1, 3)
KEYWORDS_PER_SOURCE = 3
OWN_THEME_SHARE = 0.4  # findings with a theme link of their own (besides their source's)
BATCH = 1_000
USERNAMES = ("bench-editor", "bench-analyst-1", "bench-analyst-2")
# Words for names, descriptions and themes; SEARCH_WORD is what the text-search case asks.
WORDS = (
    "energy grid solar hydrogen battery storage carbon climate water drought flood heat "
    "city mobility transit bicycle freight port shipping supply chain factory robot "
    "automation labour union wage pension ageing youth school university skill migration "
    "border housing rent mortgage bank payment currency crypto token ledger tax subsidy "
    "tariff trade market retail platform marketplace creator media news trust privacy "
    "surveillance identity biometric health clinic vaccine genome protein diet obesity "
    "sleep mental loneliness community religion election party protest policy regulation "
    "court liability insurance risk disaster resilience satellite space launch orbit "
    "chip semiconductor quantum model language agent assistant search advertising game "
    "sport fashion textile recycling waste plastic packaging soil farm food meat dairy "
    "ocean fishing forest biodiversity mining lithium copper nickel cobalt steel cement"
).split()
SEARCH_WORD = "hydrogen"


@dataclass
class Base:
    """What the cases need to know about the base they run against."""

    counts: dict[str, int]
    big_themes: list[Theme]  # the two themes most sources carry, biggest first
    editor: object
    token: str
    usernames: list[str] = field(default_factory=lambda: list(USERNAMES))


def scaled(size: float) -> dict[str, int]:
    """Row counts for a --size factor (1 = the defaults)."""
    counts = {"sources": SOURCES, **FINDINGS, "themes": THEMES, "keywords": KEYWORDS}
    return {name: max(10, round(count * size)) for name, count in counts.items()}


def is_empty() -> bool:
    """Whether the database holds no knowledge data and none of the benchmark's users."""
    from django.contrib.auth import get_user_model

    return not (
        Source.objects.exists()
        or Theme.objects.exists()
        or get_user_model().objects.filter(username__in=USERNAMES).exists()
    )


def build_base(size: float, seed: int = 4) -> Base:
    """Users, a token and the whole synthetic base; returns what the cases need."""
    rng = random.Random(seed)
    counts = scaled(size)
    users = [
        user_create(
            username=name, role="editor" if i == 0 else "analyst", password=password_generate()
        )
        for i, name in enumerate(USERNAMES)
    ]
    _, token = token_create(user=users[0], name="browse benchmark")
    with transaction.atomic():
        themes = _themes(rng, counts["themes"], users[0])
        sources = _sources(rng, counts["sources"], users)
        _source_links(rng, sources, themes, counts["keywords"])
        for kind, model in FINDING_MODELS.items():
            _findings(rng, model, sources, themes, counts[kind])
    _analyze()
    return Base(counts=counts, big_themes=_biggest_themes(), editor=users[0], token=token)


def _analyze() -> None:
    """Planner statistics for the new rows, as autovacuum would gather soon after a bulk load
    on PostgreSQL; without them the first plans follow an empty database's estimates."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _biggest_themes() -> list[Theme]:
    biggest = (
        SourceTheme.objects.values("theme")
        .annotate(n=Count("id"))
        .order_by("-n", "theme")
        .values_list("theme", flat=True)[:2]
    )
    themes = Theme.objects.in_bulk(list(biggest))
    return [themes[pk] for pk in biggest]


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def _skewed(rng: random.Random, count: int) -> int:
    """An index in range(count), small ones far more often: a few big themes, a long tail."""
    return min(count - 1, int(count * rng.random() ** 2.5))


def _themes(rng: random.Random, count: int, editor) -> list[Theme]:
    names, seen = [], set()
    while len(names) < count:
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {len(names)}".capitalize()
        if name_key(name) not in seen:
            seen.add(name_key(name))
            names.append(name)
    themes = Theme.objects.bulk_create(
        Theme(name=name, slug=name_key(name), description=_words(rng, 12)) for name in names
    )
    ThemeAlias.objects.bulk_create(
        ThemeAlias(theme=theme, name=f"{theme.name} alias", key=name_key(f"{theme.name} alias"))
        for theme in themes[: count // 3]
    )
    pairs = {tuple(sorted(rng.sample(range(count), 2))) for _ in range(count // 5)}
    ThemeRelation.objects.bulk_create(
        ThemeRelation(theme_a=themes[a], theme_b=themes[b], added_by=editor) for a, b in pairs
    )
    return themes


def _sources(rng: random.Random, count: int, users) -> list[Source]:
    categories = list(Category.objects.all())
    types = list(SourceType.objects.all())
    now = timezone.now()
    sources = []
    for i in range(count):
        published = (now - timedelta(days=rng.uniform(0, 730))).date()
        sources.append(
            Source(
                url=f"https://site{i % 97}.example.org/articles/{i}?utm_source=feed",
                canonical_url=f"https://site{i % 97}.example.org/articles/{i}",
                title=f"{_words(rng, 6).capitalize()} ({i})",
                site_name=f"Site {i % 97}",
                author=f"Author {i % 389}",
                published_on=published if rng.random() < 0.8 else None,
                language="en",
                category=rng.choice(categories),
                source_type=rng.choice(types),
                summary=". ".join(_words(rng, 14).capitalize() for _ in range(3)) + ".",
                extracted_text=_words(rng, 400),
                status=Source.Status.DONE,
                submitted_by=users[i % len(users)],
            )
        )
    created = Source.objects.bulk_create(sources, batch_size=BATCH)
    # submitted_at is auto_now_add: bulk_create stamps now, so the spread goes in after.
    stamps = [now - timedelta(days=rng.uniform(0, 730)) for _ in created]
    for source, stamp in zip(created, stamps, strict=True):
        source.submitted_at = stamp
        if source.published_on and source.published_on > stamp.date():
            source.published_on = stamp.date()
    Source.objects.bulk_update(created, ["submitted_at", "published_on"], batch_size=BATCH)
    return created


def _source_links(rng: random.Random, sources, themes, keyword_count: int) -> None:
    keywords = Keyword.objects.bulk_create(
        Keyword(key=f"{name_key(w)}-{i}", name=f"{w} {i}")
        for i, w in ((i, rng.choice(WORDS)) for i in range(keyword_count))
    )
    theme_links, keyword_links = [], []
    for source in sources:
        picked = {_skewed(rng, len(themes)) for _ in range(rng.randint(*THEMES_PER_SOURCE))}
        theme_links += [
            SourceTheme(source=source, theme=themes[t], position=p) for p, t in enumerate(picked)
        ]
        chosen = rng.sample(keywords, KEYWORDS_PER_SOURCE)
        keyword_links += [
            SourceKeyword(source=source, keyword=k, position=p, label=k.name)
            for p, k in enumerate(chosen)
        ]
    SourceTheme.objects.bulk_create(theme_links, batch_size=BATCH)
    SourceKeyword.objects.bulk_create(keyword_links, batch_size=BATCH)


def _findings(rng: random.Random, model, sources, themes, count: int) -> None:
    extra = {}
    rows = []
    for i in range(count):
        if model.__name__ == "Signal":
            extra = {
                "change": _words(rng, 8),
                "ten_year": _words(rng, 8),
                "driving_force": _words(rng, 4),
            }
        rows.append(
            model(
                source=sources[i % len(sources)],
                position=i // len(sources),
                name=f"{_words(rng, 4).capitalize()} {i}",
                description=_words(rng, 16),
                relevancy=rng.choice((None, 1, 2, 2, 3, 3, 3, 4, 4, 5)),
                **extra,
            )
        )
    created = model.objects.bulk_create(rows, batch_size=BATCH)
    links = model.themes.through
    owner = model._meta.model_name
    links.objects.bulk_create(
        (
            links(**{owner: finding}, theme=themes[_skewed(rng, len(themes))], position=0)
            for finding in created
            if rng.random() < OWN_THEME_SHARE
        ),
        batch_size=BATCH,
    )


def wipe_knowledge(*, audit_since=None) -> None:
    """Delete every source, finding, theme and keyword, and the audit entries written since
    `audit_since` (the restore cases start from an empty base; the end leaves none)."""
    with transaction.atomic():
        for model in FINDING_MODELS.values():
            model.themes.through.objects.all()._raw_delete(model.objects.db)
            model.objects.all()._raw_delete(model.objects.db)
        for model in (SourceTheme, SourceKeyword):
            model.objects.all()._raw_delete(model.objects.db)
        Source.objects.all().delete()
        ThemeRelation.objects.all().delete()
        ThemeAlias.objects.all().delete()
        Theme.objects.all().delete()
        Keyword.objects.all().delete()
        if audit_since is not None:
            AuditEntry.objects.filter(at__gte=audit_since).delete()
        knowledge_changed()  # _raw_delete sends no model signals: retire the cached counts


def remove_users() -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username__in=USERNAMES).delete()
