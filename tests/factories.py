"""factory_boy factories for the models the tests build most."""

import factory
from django.contrib.auth.models import Group, Permission, User
from django.utils.text import slugify

from apps.knowledge.models import (
    Behavior,
    Category,
    Issue,
    Keyword,
    Signal,
    SignalTheme,
    SourceType,
    Technology,
    Theme,
    ThemeAlias,
)
from apps.knowledge.vocabulary import name_key
from apps.sources.models import ExtraSection, Source, SourceKeyword, SourceTheme

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)


class ReaderFactory(UserFactory):
    """A user who may read: in the reader group when it exists, else given the permission."""

    @factory.post_generation
    def reader_role(user, create, extracted, **kwargs):
        if not create:
            return
        group = Group.objects.filter(name="reader").first()
        if group is not None and group.permissions.filter(codename="view_source").exists():
            user.groups.add(group)
        else:
            user.user_permissions.add(
                Permission.objects.get(codename="view_source", content_type__app_label="sources")
            )


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"category {n}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.name))


class SourceTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceType
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"type {n}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.name))


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"theme {n}")
    slug = factory.LazyAttribute(lambda obj: name_key(obj.name))
    status = Theme.Status.APPROVED


class ThemeAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThemeAlias

    theme = factory.SubFactory(ThemeFactory)
    name = factory.Sequence(lambda n: f"alias {n}")
    key = factory.LazyAttribute(lambda obj: name_key(obj.name))


class KeywordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Keyword
        django_get_or_create = ("key",)

    name = factory.Sequence(lambda n: f"keyword {n}")
    key = factory.LazyAttribute(lambda obj: name_key(obj.name))


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    canonical_url = factory.Sequence(lambda n: f"https://news.example.com/articles/{n}")
    url = factory.LazyAttribute(lambda obj: obj.canonical_url)
    title = factory.Sequence(lambda n: f"Source number {n}")
    category = factory.SubFactory(CategoryFactory, name="technology")
    source_type = factory.SubFactory(SourceTypeFactory, name="news")
    summary = "What changed, in a few sentences."
    status = Source.Status.DONE


class SourceThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceTheme

    source = factory.SubFactory(SourceFactory)
    theme = factory.SubFactory(ThemeFactory)
    position = factory.Sequence(lambda n: n)


class SourceKeywordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceKeyword

    source = factory.SubFactory(SourceFactory)
    keyword = factory.SubFactory(KeywordFactory)
    label = factory.LazyAttribute(lambda obj: obj.keyword.name)
    position = factory.Sequence(lambda n: n)


class ExtraSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExtraSection

    source = factory.SubFactory(SourceFactory)
    heading = "Concerns"
    body = ""
    position = factory.Sequence(lambda n: n)


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    source = factory.SubFactory(SourceFactory)
    position = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"finding {n}")
    description = "Why it matters."
    relevancy = 3


class SignalFactory(FindingFactory):
    class Meta:
        model = Signal

    change = "From this to that."
    ten_year = "Everyone does that."
    driving_force = "It is cheaper."


class BehaviorFactory(FindingFactory):
    class Meta:
        model = Behavior


class TechnologyFactory(FindingFactory):
    class Meta:
        model = Technology


class IssueFactory(FindingFactory):
    class Meta:
        model = Issue


# One factory per kind of finding, by the kind's name in FINDING_MODELS.
FINDING_FACTORIES = {
    "signals": SignalFactory,
    "behaviors": BehaviorFactory,
    "technologies": TechnologyFactory,
    "issues": IssueFactory,
}


class SignalThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignalTheme

    signal = factory.SubFactory(SignalFactory)
    theme = factory.SubFactory(ThemeFactory)
