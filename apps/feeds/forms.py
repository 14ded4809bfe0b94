"""Forms for the feed pages: they check input; the services do the work."""

from django import forms
from django.conf import settings

from apps.feeds.opml import MAX_OPML_BYTES


def _interval_help() -> str:
    config = settings.SPYGLASS_FEEDS
    return (
        f"How often to poll: {config['min_interval']} to {config['max_interval']} minutes "
        f"(default {config['default_interval']})."
    )


class SubscribeForm(forms.Form):
    url = forms.CharField(
        label="Feed address",
        max_length=2048,
        help_text="The address of an RSS or Atom feed (a web page naming its feed works too).",
        widget=forms.URLInput(attrs={"placeholder": "https://example.org/feed.xml"}),
        error_messages={"required": "Give the feed's address."},
    )
    interval = forms.IntegerField(label="Interval in minutes", required=False, min_value=1)
    theme = forms.CharField(
        label="Theme (optional)",
        required=False,
        max_length=120,
        help_text="An approved theme given to every source this feed brings.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interval"].help_text = _interval_help()


class OpmlForm(forms.Form):
    file = forms.FileField(
        label="OPML file",
        help_text="A subscription list exported from a feed reader.",
        error_messages={"required": "Choose an OPML file to import."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_OPML_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_OPML_BYTES // (1024 * 1024)} MB."
            )
        return upload
