/* Spyglass: the little JavaScript the pages use. Every page works without it. */
(function () {
  "use strict";

  /* Report the browser's time zone so the server shows times in it (apps/core/middleware.py). */
  function rememberTimeZone() {
    var zone;
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (error) {
      return;
    }
    // IANA names need no escaping; anything else is not worth sending.
    if (!zone || !/^[A-Za-z0-9_+\-\/]+$/.test(zone)) return;
    var current = document.cookie.split("; ").indexOf("tz=" + zone) !== -1;
    if (current) return;
    document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
  }

  /* One loading indicator for every HTMX request, announced to screen readers. */
  var pending = 0;

  function indicator() {
    return document.getElementById("loading");
  }

  function requestStarted() {
    pending += 1;
    var element = indicator();
    if (!element) return;
    element.classList.add("htmx-request");
    element.textContent = "Loading…";
  }

  function requestEnded() {
    pending = Math.max(0, pending - 1);
    var element = indicator();
    if (!element || pending) return;
    element.classList.remove("htmx-request");
    element.textContent = "";
  }

  /* After a swap, say what arrived (data-announce) and, when the focused control was
     swapped away, put the focus on the new content's marked element (data-swap-focus)
     instead of losing it to the top of the page. */
  function settled(event) {
    var root = event.detail && event.detail.elt;
    if (!root || !root.querySelector) return;
    var announced = root.matches("[data-announce]") ? root : root.querySelector("[data-announce]");
    var element = indicator();
    if (announced && element && !pending) {
      element.textContent = announced.getAttribute("data-announce");
    }
    var focusLost = !document.activeElement || document.activeElement === document.body;
    var target = root.querySelector("[data-swap-focus]");
    if (focusLost && target) target.focus({ preventScroll: true });
  }

  /* "/" jumps to the header's search box, unless the key is being typed into a field. */
  function focusSearch(event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var active = document.activeElement;
    if (active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName))) return;
    var box = document.getElementById("header-search-q");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  }

  rememberTimeZone();
  document.addEventListener("keydown", focusSearch);
  document.addEventListener("htmx:afterSettle", settled);
  document.addEventListener("htmx:beforeRequest", requestStarted);
  document.addEventListener("htmx:afterRequest", requestEnded);
  document.addEventListener("htmx:historyRestore", function () {
    pending = 0;
    requestEnded();
  });
})();
