// Open Carts: the selection (selection.js), the rows-per-page switch and the count that arrives
// later; the filters are filters.js.
(function () {
  "use strict";

  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });

  const table = document.getElementById("open-carts");
  const bar = document.getElementById("bulk-bar");
  // How many carts match: known at once, or once the summary request below answers.
  let matching = Number(bar ? bar.dataset.matching || 0 : 0);
  let refresh = () => {};

  // Selection: only for someone with a bulk action to take (otherwise there is no bar).
  if (table && bar) refresh = window.cartSelection(table, bar, () => matching);

  // The rows come first; what only the carts can say (every figure, for filters no tally can
  // answer; else the untouched carts and follow-ups due) comes in a second request.
  const pending = document.querySelector("[data-summary-url]");
  if (pending) {
    fetch(pending.dataset.summaryUrl, { headers: { "X-Dialog": "1" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        pending.outerHTML = html;
        const stats = document.querySelector("[data-summary-stats]");
        matching = Number(stats.dataset.matching || 0);
        if (bar) bar.dataset.matching = String(matching);
        const count = document.querySelector("[data-matching-count]");
        if (count) count.textContent = matching.toLocaleString();
        refresh();
      })
      .catch(() => {
        pending.removeAttribute("aria-busy");
        pending.querySelectorAll("[data-pending-note]").forEach((note) => {
          note.textContent = "could not count; reload to try again";
          const value = note.parentElement.querySelector(".tile-value");
          if (value) value.textContent = "?";
        });
      });
  }

  refresh();
})();
