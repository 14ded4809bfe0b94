"""Pages the test HTTP server serves: written for these tests, small and deterministic."""

import html

ARTICLE_TITLE = "Tidal batteries reach small harbour towns"
ARTICLE_AUTHOR = "Mara Quint"
ARTICLE_PARAGRAPHS = [
    "Three harbour towns on the northern coast now store the energy of the tides in "
    "community batteries. The tidal batteries charge while the turbines in the estuary turn "
    "and release power to the harbour grid in the evening, when fishing boats return and "
    "households cook.",
    "The tidal batteries were paid for by a cooperative of fishermen, shop owners and the "
    "town council. Members buy shares and receive cheaper power in return. The cooperative "
    "says its harbour grid has not needed diesel generators since the spring storms.",
    "Engineers at the regional university measured the tidal turbines for two years before "
    "the batteries were installed. Their report found that the tides are predictable to the "
    "minute, which makes community batteries easier to plan than wind or solar storage.",
    "Critics point to the cost of maintenance in salt water and to the risk for seals and "
    "porpoises near the turbines. The cooperative answers that its turbines turn slowly and "
    "that divers inspect them every month, and it publishes the inspection reports online.",
    "Other harbour towns are watching. If the tidal batteries keep the lights on through a "
    "second winter, the council expects five more towns to form cooperatives of their own "
    "and to ask the regional university for the same two years of measurements.",
]
ARTICLE_TEXT = "\n".join(ARTICLE_PARAGRAPHS)

LATIN1_PARAGRAPHS = [
    "Au café de la place, les élèves du lycée maritime préparent un exposé sur les marées. "
    "Ils boivent un café crème et comparent leurs mesures à celles de l'année dernière.",
    "Le professeur de sciences, Hélène Marchand, explique que la côte reçoit deux marées par "
    "jour et que l'énergie des marées est prévisible à la minute près, à la différence du "
    "vent. Les élèves notent la hauteur de l'eau à chaque heure pendant une semaine entière.",
    "À la fin du mois, le café accueille une soirée où les élèves présentent leurs résultats "
    "aux pêcheurs du port. Le patron du café offre des crêpes et un chocolat chaud à tous "
    "ceux qui restent jusqu'à la fin des questions, même les plus naïves.",
]

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)


def article_html(
    *,
    title: str = ARTICLE_TITLE,
    paragraphs: list[str] = ARTICLE_PARAGRAPHS,
    author: str = ARTICLE_AUTHOR,
    lang: str = "en",
    meta_charset: str = "utf-8",
) -> str:
    meta = f'<meta charset="{meta_charset}">' if meta_charset else ""
    body = "\n".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>{meta}
<title>{html.escape(title)}</title>
<meta name="author" content="{html.escape(author)}">
<meta name="description" content="A test article.">
</head>
<body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
<h1>{html.escape(title)}</h1>
{body}
</article>
<footer>Test fixtures for Spyglass</footer>
</body>
</html>"""


def latin1_html(*, with_meta: bool) -> bytes:
    """A French page in ISO-8859-1; the charset is named in a meta tag or nowhere in it."""
    page = article_html(
        title="Les marées au café du port",
        paragraphs=LATIN1_PARAGRAPHS,
        author="Hélène Marchand",
        lang="fr",
        meta_charset="iso-8859-1" if with_meta else "",
    )
    return page.encode("iso-8859-1")


CHALLENGE_HTML = """<!DOCTYPE html>
<html lang="en"><head><title>Just a moment...</title></head>
<body><h1>Checking your browser before accessing the site.</h1>
<p>Enable JavaScript and cookies to continue.</p></body></html>"""

EMPTY_HTML = """<!DOCTYPE html>
<html lang="en"><head><title>Coming soon</title></head>
<body><p>Nothing here yet.</p></body></html>"""

NOT_FOUND_HTML = """<!DOCTYPE html>
<html><head><title>Not found</title></head><body><p>No such page.</p></body></html>"""

PDF_LINES = [
    "Harbour cooperatives and tidal storage",
    "The cooperative measured the tides for two years before it bought batteries.",
    "Members buy shares in the cooperative and receive cheaper power in return.",
    "The harbour grid has run without diesel generators since the spring storms.",
    "Divers inspect the turbines every month and the reports are published online.",
    "Five more harbour towns plan cooperatives of their own for the next winter.",
]


def pdf_document(lines: list[str] = PDF_LINES, title: str = "Tidal storage report") -> bytes:
    """A one-page PDF with real text operators, so a PDF reader extracts the lines."""

    def escaped(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    shown = " ".join(f"({escaped(line)}) Tj T*" for line in lines)
    content = f"BT /F1 11 Tf 72 760 Td 16 TL {shown} ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        f"<< /Title ({escaped(title)}) >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return out
