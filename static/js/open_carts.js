// Open Carts: the filters (a toggle on phones, short URLs), the selection (selection.js), the
// rows-per-page switch and the count that arrives later.
(function () {
  "use strict";

  // Filters: on a phone they fold behind one "Filters (N)" button (open while some are invalid).
  const filters = document.querySelector("[data-filters]");
  const filtersForm = document.querySelector("[data-filters-form]");
  const toggle = document.querySelector("[data-filters-toggle]");
  if (filters && filtersForm && toggle) {
    const setOpen = (open) => {
      filters.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", String(open));
    };
    filters.classList.add("collapsible");
    toggle.hidden = false;
    setOpen(filtersForm.querySelector("[aria-invalid=true], .form-errors") !== null);
    toggle.addEventListener("click", () => setOpen(!filters.classList.contains("open")));
  }
  // Only the fields in use go into the URL, so a bookmarked view stays short.
  if (filtersForm) {
    filtersForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const query = new URLSearchParams();
      new FormData(filtersForm).forEach((value, name) => {
        if (String(value).trim() !== "") query.append(name, value);
      });
      const search = query.toString();
      window.location.assign(window.location.pathname + (search ? `?${search}` : ""));
    });
  }

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

  // Filters no tally can answer: the rows come first, the count and value in a second request.
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
        pending.querySelector("[data-summary=count]").textContent = "?";
        pending.querySelector(".stat-label").textContent = "could not count; reload to try again";
      });
  }

  refresh();
})();
