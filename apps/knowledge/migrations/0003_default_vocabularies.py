"""Seed the category and type vocabularies with sensible defaults (editable later).

Names are lower-case because the Markdown record format writes them so.
"""

from django.db import migrations

CATEGORIES = [
    ("social", "social", "Society, culture, demographics, behaviour."),
    ("technology", "technology", "Technologies and their adoption."),
    ("economic", "economic", "Economy, markets, work."),
    ("environmental", "environmental", "Climate, ecology, resources."),
    ("political", "political", "Policy, regulation, geopolitics."),
    ("values", "values", "Ethics, norms, beliefs."),
    ("business", "business", "Companies, strategy, industries."),
    ("science", "science", "Research and discoveries."),
    ("city", "city", "Cities, urban life, infrastructure."),
    ("others", "others", "Anything that fits no other category."),
]
TYPES = [
    ("news", "news"),
    ("blog-post", "blog post"),
    ("research-article", "research article"),
    ("report", "report"),
    ("opinion", "opinion"),
    ("podcast", "podcast"),
    ("video", "video"),
    ("other", "other"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("knowledge", "Category")
    SourceType = apps.get_model("knowledge", "SourceType")
    for slug, name, description in CATEGORIES:
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})
    for slug, name in TYPES:
        SourceType.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
