// Small progressive enhancements. No inline scripts (strict CSP); everything works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".db-error-summary");
  if (summary) summary.focus();
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});
// A page that waits for background work (the council report PDF) asks every few seconds whether it is done and
// reloads once the state has changed. Without JavaScript the page has a "Vernieuwen" link.
document.addEventListener("DOMContentLoaded", () => {
  const waiting = document.querySelector("[data-poll]");
  if (!waiting) return;
  const url = waiting.getAttribute("data-poll");
  const status = waiting.getAttribute("data-status");
  const delay = Number(waiting.getAttribute("data-poll-ms") || "2000");
  const poll = () => {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (data && data.status !== status) window.location.reload();
        else window.setTimeout(poll, delay);
      })
      .catch(() => window.setTimeout(poll, delay * 2));
  };
  window.setTimeout(poll, delay);
});
