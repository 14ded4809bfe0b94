// The radar (templates/radar/index.html): pointing at or focusing a blip shows its details
// (description and sources) in the panel beside the drawing; the blips are links, so Tab
// moves through them and Enter opens the technology. No inline handlers (the CSP).
(() => {
  const panel = document.getElementById("radar-details");
  if (!panel) return;
  let current = null;

  function show(blip) {
    const detail = document.getElementById(blip.dataset.detail);
    if (!detail || detail === current) return;
    panel.querySelectorAll(".radar-detail, [data-detail-empty]").forEach((part) => {
      part.hidden = part !== detail;
    });
    document.querySelectorAll(".radar-blip.is-current").forEach((b) => b.classList.remove("is-current"));
    blip.classList.add("is-current");
    current = detail;
  }

  const blipOf = (target) => target instanceof Element && target.closest(".radar-blip");
  document.addEventListener("focusin", (event) => {
    const blip = blipOf(event.target);
    if (blip) show(blip);
  });
  document.addEventListener("mouseover", (event) => {
    const blip = blipOf(event.target);
    if (blip) show(blip);
  });
})();
