"""`{% follow_button theme %}`: the Follow/Unfollow form, for theme pages and lists.

The followed themes are looked up once per request and kept on it, so a list of a hundred
themes costs one query, not a hundred.
"""

from django import template

from apps.accounts.access import can_read
from apps.digests.selectors import followed_ids

register = template.Library()


@register.inclusion_tag("digests/_follow_button.html", takes_context=True)
def follow_button(context, theme) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not can_read(user):
        return {"theme": None}
    if not hasattr(request, "_followed_theme_ids"):
        request._followed_theme_ids = followed_ids(user)
    return {
        "theme": theme,
        "following": theme.pk in request._followed_theme_ids,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
