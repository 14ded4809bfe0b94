"""Checks run inside the page: what a person at a narrow screen or with a screen reader meets."""

# Elements that stick out past the right edge, so a failure names the culprit.
OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const culprits = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !element.closest('.table-wrap, [data-scroll]')) {
      const children = [...element.children].some(c => c.getBoundingClientRect().right > width + 1);
      if (!children) culprits.push(element.outerHTML.slice(0, 160));
    }
  }
  return {
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth: width,
    culprits: culprits.slice(0, 5),
  };
}"""

# A visible control needs a name from a <label>, aria-label(ledby) or title; a button may
# also be named by its text or value. Placeholders do not count: they vanish on typing.
UNNAMED_CONTROLS_JS = """() => {
  const visible = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length)
    && getComputedStyle(e).visibility !== 'hidden';
  const text = s => (s || '').replace(/\\s+/g, ' ').trim();
  const named = e => {
    if (text(e.getAttribute('aria-label'))) return true;
    const ids = (e.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    if (ids.some(id => text(document.getElementById(id)?.textContent))) return true;
    if (e.labels && [...e.labels].some(l => text(l.textContent))) return true;
    if (text(e.getAttribute('title'))) return true;
    if (e.tagName === 'BUTTON') return !!text(e.textContent);
    if (e.type === 'button') return !!text(e.value);
    if (['submit', 'reset'].includes(e.type)) return true;  // named "Submit"/"Reset" by default
    if (e.type === 'image') return !!text(e.alt);
    return false;
  };
  const controls = document.querySelectorAll(
    'input:not([type=hidden]), select, textarea, button, [role=button], [role=combobox]');
  return [...controls].filter(e => visible(e) && !named(e)).map(e => e.outerHTML.slice(0, 160));
}"""


def assert_fits(page) -> None:
    """Nothing makes the page scroll sideways (tables scroll inside their own box)."""
    result = page.evaluate(OVERFLOW_JS)
    assert result["scrollWidth"] <= result["innerWidth"], (
        f"{page.url} is {result['scrollWidth']}px wide in a {result['innerWidth']}px window; "
        f"sticking out: {result['culprits']}"
    )


def assert_controls_named(page) -> None:
    """Every visible form control has an accessible name."""
    unnamed = page.evaluate(UNNAMED_CONTROLS_JS)
    assert unnamed == [], f"{page.url} has controls without a label: {unnamed}"


# The focused element shows an outline or a ring (box-shadow) of its own.
FOCUS_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  return {html: e.outerHTML.slice(0, 160), visible: outline || s.boxShadow !== 'none'};
}"""


def assert_focus_visible(page, *, stops: int = 15) -> None:
    """Tabbing through the first stops of the page, each one shows where the focus is."""
    page.locator("body").focus()
    hidden = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_JS)
        if focused is not None and not focused["visible"]:
            hidden.append(focused["html"])
    assert hidden == [], f"{page.url}: no visible focus on {hidden}"


# WCAG contrast of each visible piece of text against the first opaque background behind it
# (4.5:1, or 3:1 for large text). Disabled and hidden elements are exempt, as in WCAG.
CONTRAST_JS = """() => {
  const parse = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const over = (top, bottom) => {
    const a = top.length > 3 ? top[3] : 1;
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a));
  };
  const background = e => {
    const layers = [];
    for (let n = e; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c.length > 3 && c[3] === 0) continue;
      layers.push(c);
      if (c.length === 3 || c[3] === 1) break;
    }
    return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255]);
  };
  const failures = [];
  for (const e of document.body.querySelectorAll('*')) {
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !e.getClientRects().length) continue;
    if (e.closest('[aria-hidden=true], :disabled, .visually-hidden, .disabled, [inert]')) continue;
    const s = getComputedStyle(e);
    if (s.visibility === 'hidden' || parseFloat(s.opacity) === 0) continue;
    const bg = background(e);
    const fg = over(parse(s.color), bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) {
      failures.push(`${ratio.toFixed(2)}:1 ${e.tagName.toLowerCase()}.${e.className} ` +
        `"${e.textContent.trim().slice(0, 40)}"`);
    }
  }
  return failures.slice(0, 8);
}"""


def assert_contrast(page) -> None:
    """Text is readable against its background (WCAG AA)."""
    failures = page.evaluate(CONTRAST_JS)
    assert failures == [], f"{page.url}: text with too little contrast: {failures}"
