"""Forms for a user's own settings."""

from django import forms

from apps.accounts.tokens import NAME_MAX


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=NAME_MAX,
        help_text="What will use it, e.g. “weekly report script”.",
    )
