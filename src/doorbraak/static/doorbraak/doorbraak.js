// Small progressive enhancements. No inline scripts (strict CSP); everything works without JavaScript.
document.addEventListener("htmx:afterSwap", (event) => {
  // Move focus to the first heading or error summary of swapped content (A11Y-03).
  const target = event.detail.target;
  const focusable = target.querySelector("[data-focus-after-swap], .db-error-summary, h2, h3");
  if (focusable) {
    if (!focusable.hasAttribute("tabindex")) focusable.setAttribute("tabindex", "-1");
    focusable.focus();
  }
});
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".db-error-summary");
  if (summary) summary.focus();
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});
