"""`manage.py themes`: the proposed-theme queue and editors' theme actions from a shell."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from apps.knowledge.models import Theme, ThemeAlias
from apps.knowledge.themes import (
    ThemeError,
    proposed_themes,
    theme_accept,
    theme_alias_add,
    theme_merge,
    theme_reject,
    theme_rename,
)
from apps.knowledge.vocabulary import name_key


class Command(BaseCommand):
    help = (
        "Theme governance: `themes proposed` lists proposals with their suggestion counts; "
        "`accept NAME`, `reject NAME`, `rename NAME NEW`, `merge NAME INTO`, `alias NAME ALIAS`. "
        "NAME is a theme's name, slug or alias (case, spacing, hyphens and plurals ignored)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        actions.add_parser("proposed", help="list proposed themes with their suggestion counts")
        accept = actions.add_parser("accept", help="approve a proposed theme")
        accept.add_argument("name")
        reject = actions.add_parser("reject", help="reject a proposed theme (never proposed again)")
        reject.add_argument("name")
        rename = actions.add_parser("rename", help="rename a theme; the old name becomes an alias")
        rename.add_argument("name")
        rename.add_argument("new")
        merge = actions.add_parser("merge", help="merge a theme into an approved one")
        merge.add_argument("name")
        merge.add_argument("into")
        alias = actions.add_parser("alias", help="add an alias to a theme")
        alias.add_argument("name")
        alias.add_argument("alias")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"_{action}")(**{k: options[k] for k in _ARGUMENTS[action]})
        except ThemeError as error:
            raise CommandError(str(error)) from None

    def _proposed(self):
        themes = proposed_themes().annotate(count=Count("suggestions"))
        if not themes:
            self.stdout.write("No proposed themes.")
            return
        for theme in themes:
            plural = "" if theme.count == 1 else "s"
            self.stdout.write(f"{theme.name} ({theme.count} suggestion{plural})")

    def _accept(self, name):
        theme = theme_accept(_theme(name), user=None)
        self.stdout.write(f"Accepted '{theme.name}'.")

    def _reject(self, name):
        theme = theme_reject(_theme(name), user=None)
        self.stdout.write(f"Rejected '{theme.name}'; it will not be proposed again.")

    def _rename(self, name, new):
        theme = _theme(name)
        old = theme.name
        theme = theme_rename(theme, name=new, user=None)
        self.stdout.write(f"Renamed '{old}' to '{theme.name}'.")

    def _merge(self, name, into):
        theme = _theme(name)
        target = theme_merge(theme, into=_theme(into), user=None)
        self.stdout.write(f"Merged '{theme.name}' into '{target.name}'.")

    def _alias(self, name, alias):
        theme = _theme(name)
        added = theme_alias_add(theme, name=alias, user=None)
        self.stdout.write(f"'{added.name}' is now an alias of '{theme.name}'.")


_ARGUMENTS = {
    "proposed": (),
    "accept": ("name",),
    "reject": ("name",),
    "rename": ("name", "new"),
    "merge": ("name", "into"),
    "alias": ("name", "alias"),
}


def _theme(name: str) -> Theme:
    """The theme a name means (by slug, then alias); never creates one."""
    key = name_key(name)
    theme = Theme.objects.filter(slug=key).first() if key else None
    if theme is None and key:
        alias = ThemeAlias.objects.select_related("theme").filter(key=key).first()
        theme = alias.theme if alias else None
    if theme is None:
        raise CommandError(f"There is no theme {name!r}.")
    return theme
