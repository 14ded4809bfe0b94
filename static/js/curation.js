// Editors' inline forms on the source page: Escape cancels, like the form's Cancel link.
// No inline handlers (the CSP forbids them): one listener for the whole document.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || event.defaultPrevented) return;
  const form = event.target instanceof Element && event.target.closest("form[data-cancel]");
  if (!form) return;
  event.preventDefault();
  const adding = form.closest("details.finding-add");
  if (adding) {
    // Adding: fold the form away and give the focus back to its summary.
    form.reset();
    adding.open = false;
    adding.querySelector("summary").focus();
    return;
  }
  const cancel = form.querySelector("[data-cancel-link]");
  if (cancel) cancel.click();
});
