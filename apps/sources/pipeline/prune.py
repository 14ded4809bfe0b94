"""Cutting pathological pages down before trafilatura reads them.

trafilatura's cost grows with the tree, and some pages are mostly links: a 9 MB page with
181,000 links took 43 s and 1 GB of memory in one process. A page whose markup has more
tags than any article needs is parsed once with lxml, its link lists are dropped (blocks
whose text is mostly the text of their many links: navigation, tag clouds, sitemaps), and
trafilatura reads what is left. A page that is still too big is refused with its reason.
Ordinary pages (the benchmark's largest has about 1,700 elements) never come here.
"""

from lxml import etree
from lxml import html as lxml_html

from apps.sources.pipeline.failures import Failure

# Counted as "<" in the markup first, so ordinary pages pay nothing.
PRUNE_ABOVE_TAGS = 20_000
MAX_ELEMENTS = 100_000
LINK_LIST_MIN_LINKS = 30
LINK_LIST_SHARE = 0.6
BLOCKS = frozenset({"ul", "ol", "dl", "nav", "table", "div", "section", "aside", "footer", "menu"})


def needs_pruning(markup: str) -> bool:
    return markup.count("<") > PRUNE_ABOVE_TAGS


def pruned_tree(markup: str) -> lxml_html.HtmlElement:
    """The page as an lxml tree without its link lists; Failure when it is still too big."""
    try:
        tree = lxml_html.document_fromstring(markup)
    except (ValueError, etree.ParserError) as error:
        raise Failure("unreadable_html", f"the page cannot be read as HTML ({error})") from None
    for block in _link_lists(tree):
        block.drop_tree()
    count = sum(1 for _ in tree.iter())
    if count > MAX_ELEMENTS:
        raise Failure(
            "too_complex",
            f"the page has {count:,} HTML elements besides its link lists, more than the "
            f"{MAX_ELEMENTS:,} Spyglass reads; paste the article's text instead",
        )
    return tree


def _link_lists(tree) -> list:
    """Blocks that are mostly links, in one walk: each element's text, linked text and
    link count are summed into its parent's when the element ends."""
    found = []
    open_elements = [[0, 0, 0]]  # text, linked text, links of each element not yet ended
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        if event == "start":
            own = len(element.text or "") if isinstance(element.tag, str) else 0
            open_elements.append([own, 0, 0])
            continue
        text, linked, links = open_elements.pop()
        if element.tag == "a":
            linked, links = text, links + 1
        elif (
            element.tag in BLOCKS
            and links >= LINK_LIST_MIN_LINKS
            and linked > LINK_LIST_SHARE * text
        ):
            found.append(element)
        parent = open_elements[-1]
        parent[0] += text + len(element.tail or "")
        parent[1] += linked
        parent[2] += links
    return found
