// Small progressive enhancements. No inline scripts (strict CSP); everything works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".db-error-summary");
  if (summary) summary.focus();
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});
