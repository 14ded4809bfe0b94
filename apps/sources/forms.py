"""Forms for the ingest pages: they check input; the services do the work."""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import pluralize

from apps.sources.services import MAX_URLS_PER_SUBMISSION, LineError, SubmitResult, Submitted

HTML_SUFFIXES = (".html", ".htm", ".xhtml")


class SubmitForm(forms.Form):
    urls = forms.CharField(
        label="Links, one per line",
        help_text=f"Up to {MAX_URLS_PER_SUBMISSION} http or https links.",
        # Not stripped: line numbers in the errors must match the lines the analyst sees.
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": "Paste at least one link."},
    )
    note = forms.CharField(
        label="Note (optional)",
        help_text="Why these links matter or where they came from; kept with each submission.",
        required=False,
        max_length=500,
    )

    def clean_urls(self) -> str:
        text = self.cleaned_data["urls"]
        count = sum(1 for line in text.splitlines() if line.strip())
        if not count:
            raise ValidationError("Paste at least one link.")
        if count > MAX_URLS_PER_SUBMISSION:
            raise ValidationError(
                f"At most {MAX_URLS_PER_SUBMISSION} links at a time; this has {count}. "
                "Submit the first part, then the rest."
            )
        return text

    @classmethod
    def to_fix(cls, outcome: "SubmitOutcome", note: str) -> "SubmitForm":
        """A fresh form holding only the lines still to fix (and the note, if any are)."""
        lines = "\n".join(error.text for error in outcome.invalid)
        return cls(initial={"urls": lines, "note": note if lines else ""})


@dataclass
class SubmitOutcome:
    """What a submission did, grouped the way the submit page shows it."""

    new: list[Submitted]
    known: list[Submitted]  # already in the knowledge base: no second source was made
    invalid: list[LineError]  # refused: they go back into the box to be fixed
    repeated: list[LineError]  # the same link twice in one paste: submitted once

    @classmethod
    def of(cls, result: SubmitResult) -> "SubmitOutcome":
        # A repeat is a valid link, already sent once in this paste.
        repeated = [error for error in result.errors if error.kind == "repeated"]
        return cls(
            new=[item for item in result.accepted if item.created],
            known=result.existing,
            invalid=[error for error in result.errors if error not in repeated],
            repeated=repeated,
        )

    @property
    def summary(self) -> str:
        parts = [
            f"{len(self.new)} new link{pluralize(len(self.new))} queued" if self.new else "",
            f"{len(self.known)} already in Spyglass" if self.known else "",
            f"{len(self.invalid)} line{pluralize(len(self.invalid))} to fix"
            if self.invalid
            else "",
        ]
        return ", ".join(part for part in parts if part) + "."


class RetryFailedForm(forms.Form):
    failure_code = forms.CharField(max_length=40)


class PasteTextForm(forms.Form):
    text = forms.CharField(
        label="Paste the text",
        help_text="Copy the article's text from your browser.",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "The pasted text is empty: paste the article's text first."},
    )


def _size(count: int) -> str:
    return f"{count / 2**20:g} MB" if count >= 2**20 else f"{count} bytes"


class UploadPageForm(forms.Form):
    page = forms.FileField(
        label="Or upload the page (.html)",
        help_text="In your browser, save the page (Ctrl+S) as “Web page, HTML only”.",
        widget=forms.FileInput(attrs={"accept": ".html,.htm,.xhtml,text/html"}),
        error_messages={
            "required": "Choose the saved .html file first.",
            "empty": "The file is empty: save the page again and upload that file.",
        },
    )

    def clean_page(self):
        page = self.cleaned_data["page"]
        limit = settings.SPYGLASS_FETCH["max_bytes"]
        if page.size > limit:
            raise ValidationError(f"The file is too large: over {_size(limit)}.")
        if not page.name.lower().endswith(HTML_SUFFIXES):
            raise ValidationError("Upload the page saved as HTML: a .html or .htm file.")
        return page
