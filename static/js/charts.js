// Trend charts (templates/trends/_chart.html): each chart is one Tab stop. The arrow keys,
// Home and End move the focus between its periods; pointing at or focusing a period writes
// its figures in the chart's readout (a live region), beside the SVG <title> tooltip.
(() => {
  const hits = (chart) => [...chart.querySelectorAll(".chart-hit")];

  function show(hit) {
    const chart = hit.closest("[data-chart]");
    const readout = chart && chart.querySelector("[data-readout]");
    if (!readout) return;
    hits(chart).forEach((other) => other.classList.toggle("is-current", other === hit));
    readout.textContent = hit.dataset.text;
  }

  function move(hit, key) {
    const all = hits(hit.closest("[data-chart]"));
    const here = all.indexOf(hit);
    const next = { ArrowLeft: here - 1, ArrowRight: here + 1, Home: 0, End: all.length - 1 }[key];
    if (next === undefined || next < 0 || next >= all.length) return false;
    all.forEach((other) => other.setAttribute("tabindex", other === all[next] ? "0" : "-1"));
    all[next].focus();
    return true;
  }

  document.addEventListener("focusin", (event) => {
    if (event.target instanceof Element && event.target.matches(".chart-hit")) show(event.target);
  });
  document.addEventListener("mouseover", (event) => {
    const hit = event.target instanceof Element && event.target.closest(".chart-hit");
    if (hit) show(hit);
  });
  document.addEventListener("keydown", (event) => {
    const hit = event.target instanceof Element && event.target.closest(".chart-hit");
    if (hit && move(hit, event.key)) event.preventDefault();
  });
})();
