"""Type: scored cues from the URL (host and path), the title and the text.

Each rule adds points to a type (see _url and _text): a scholarly host or a DOI is strong
evidence of a research article, a blog platform or a /blog/ path of a blog post, a news
publisher of news, an /opinion/ section of an opinion piece. Text cues add weaker points:
"in this paper" and "et al." for research, first-person writing for blog posts, "said on
Tuesday" and agency datelines for news; the site name too ("arXiv", "... Blog", "... News").
The best-scoring type in the vocabulary wins; with no cue at all the page is "news" (the
most common kind of evidence), or else the vocabulary's "other", or its first type.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from ..cleaning import name_key
from .text import Document

SCHOLARLY_HOSTS = (
    "arxiv.org", "biorxiv.org", "medrxiv.org", "ssrn.com", "doi.org", "dl.acm.org",
    "ieeexplore.ieee.org", "link.springer.com", "sciencedirect.com", "science.org", "pnas.org",
    "plos.org", "ncbi.nlm.nih.gov", "openreview.net", "aclanthology.org", "papers.nips.cc",
    "proceedings.mlr.press", "semanticscholar.org", "frontiersin.org", "mdpi.com",
    "onlinelibrary.wiley.com", "tandfonline.com", "jstor.org", "cell.com", "researchgate.net",
    "nature.com", "thelancet.com", "bmj.com", "jamanetwork.com", "nejm.org",
)  # fmt: skip
BLOG_HOSTS = (
    "substack.com", "medium.com", "wordpress.com", "blogspot.com", "ghost.io", "tumblr.com",
    "dev.to", "hashnode.dev", "bearblog.dev", "write.as", "mataroa.blog", "github.io",
    "svbtle.com", "posthaven.com", "micro.blog",
)  # fmt: skip
NEWS_HOSTS = (
    "reuters.com", "apnews.com", "bbc.co.uk", "bbc.com", "nytimes.com", "theguardian.com",
    "cnn.com", "washingtonpost.com", "bloomberg.com", "ft.com", "wsj.com", "economist.com",
    "techcrunch.com", "theverge.com", "wired.com", "arstechnica.com", "engadget.com",
    "zdnet.com", "cnbc.com", "npr.org", "aljazeera.com", "axios.com", "politico.com",
    "theregister.com", "venturebeat.com", "forbes.com", "businessinsider.com", "lemonde.fr",
    "spiegel.de", "heise.de", "nbcnews.com", "abcnews.go.com", "cbsnews.com", "usatoday.com",
    "latimes.com", "independent.co.uk", "telegraph.co.uk", "news.yahoo.com", "afp.com",
    "semafor.com", "restofworld.org", "technologyreview.com", "newscientist.com",
)  # fmt: skip
VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com", "tiktok.com", "dailymotion.com")
# A personal site: a short domain on a TLD that publishers rarely use.
PERSONAL_TLDS = ("net", "me", "io", "dev", "blog", "name", "xyz", "org", "info", "site")

_RESEARCH_TEXT = re.compile(
    r"\b(?:in this (?:paper|work|study)|we (?:propose|present|introduce|show that|find that)|"
    r"our (?:results|findings|method|approach|experiments)|et al\.|state[- ]of[- ]the[- ]art)",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|my|me)\b")
_NEWS_TEXT = re.compile(
    r"\b(?:said (?:on )?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
    r"told reporters|said in a statement|a spokes(?:man|woman|person)|\((?:Reuters|AP|AFP)\)|"
    r"according to (?:a |the )?(?:statement|report|officials|police))",
    re.IGNORECASE,
)
_OPINION_TEXT = re.compile(r"\b(?:I believe|in my view|I argue|we must|op-ed)\b", re.IGNORECASE)
_REPORT_TEXT = re.compile(
    r"\b(?:executive summary|key findings|this report|white ?paper)\b", re.IGNORECASE
)
_DATED_PATH = re.compile(r"/(?:19|20)\d\d/")


@dataclass
class _Evidence:
    scores: dict[str, float]

    def add(self, kind: str, points: float) -> None:
        self.scores[kind] = self.scores.get(kind, 0) + points


def _host_in(host: str, hosts: tuple[str, ...]) -> bool:
    return any(host == known or host.endswith("." + known) for known in hosts)


def _url(document: Document, evidence: _Evidence) -> None:
    host, path = document.host, document.path
    if _host_in(host, SCHOLARLY_HOSTS) or re.search(r"/(?:abs|pdf|doi)/", path):
        evidence.add("research article", 6)
    if (
        _host_in(host, BLOG_HOSTS)
        or host.startswith("blog.")
        or re.search(r"/(?:blog|posts?)/", path)
    ):
        evidence.add("blog post", 5)
    if _host_in(host, NEWS_HOSTS) or "/news/" in path:
        evidence.add("news", 4)
    if _host_in(host, VIDEO_HOSTS) or "/video/" in path or "/watch" in path:
        evidence.add("video", 5)
    if "podcast" in host or "/podcast" in path or "/episode" in path:
        evidence.add("podcast", 5)
    if re.search(r"/(?:opinion|commentary|column|columns|op-ed|editorial|ideas)/", path):
        evidence.add("opinion", 5)
    if re.search(r"report|whitepaper|white-paper", path) or path.endswith(".pdf"):
        evidence.add("report", 2)
    parts = host.split(".")
    if len(parts) == 2 and parts[1] in PERSONAL_TLDS and not _host_in(host, NEWS_HOSTS):
        evidence.add("blog post", 1)
    if _DATED_PATH.search(path):
        evidence.add("news", 0.5)


def _text(document: Document, evidence: _Evidence) -> None:
    head = document.text[:5000]
    sentences = max(len(document.sentences), 1)
    if head.lstrip().lower().startswith("abstract"):
        evidence.add("research article", 3)
    evidence.add("research article", min(3, len(_RESEARCH_TEXT.findall(head))))
    first_person = len(_FIRST_PERSON.findall(head)) / min(sentences, 40)
    if first_person >= 0.3:
        evidence.add("blog post", 2)
    evidence.add("news", min(3, len(_NEWS_TEXT.findall(head))))
    evidence.add("opinion", min(2, len(_OPINION_TEXT.findall(head))))
    evidence.add("report", min(3, len(_REPORT_TEXT.findall(head))))
    site = document.page.site_name.lower()
    if re.search(r"arxiv|biorxiv|medrxiv|journal|proceedings", site):
        evidence.add("research article", 3)
    if "blog" in site or "substack" in site:
        evidence.add("blog post", 2)
    if re.search(r"\bnews\b|\btimes\b|reuters|associated press", site):
        evidence.add("news", 1)
    title = document.title.lower()
    if title.startswith(("opinion:", "opinion |", "comment:")):
        evidence.add("opinion", 4)
    if "podcast" in title or re.match(r"(?:ep\.?|episode) ?\d", title):
        evidence.add("podcast", 3)


@lru_cache(maxsize=32)
def _known(types: tuple[str, ...]) -> dict[str, str]:
    return {name_key(name): name for name in types}


def choose(document: Document, types: tuple[str, ...]) -> str:
    if not types:
        return ""
    known = _known(types)
    evidence = _Evidence({})
    _url(document, evidence)
    _text(document, evidence)
    ranked = sorted(evidence.scores.items(), key=lambda item: -item[1])
    for kind, score in ranked:
        if score > 0 and kind in known:
            return known[kind]
    for fallback in ("news", "other", "others"):
        if fallback in known:
            return known[fallback]
    return types[0]
