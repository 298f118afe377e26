// Open Carts: the filters (a toggle on phones, short URLs), row and page check boxes,
// "select all matching", the rows-per-page switch and the count that arrives later.
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
  if (table && bar) {
    const pageBox = table.querySelector("[data-select-page]");
    const rowBoxes = Array.from(table.querySelectorAll("[data-select-row]"));
    const across = document.getElementById("select-across");
    const acrossInput = document.querySelector("[data-select-across-input]");
    const acrossButton = document.querySelector("[data-select-across]");
    const clearButton = document.querySelector("[data-clear-selection]");
    const acrossText = document.querySelector("[data-select-across-text]");
    const pageText = acrossText ? acrossText.textContent : "";
    const selectingAll = () => acrossInput && acrossInput.value === "1";

    refresh = () => {
      const checked = rowBoxes.filter((box) => box.checked);
      const allOnPage = rowBoxes.length > 0 && checked.length === rowBoxes.length;
      if (!allOnPage && acrossInput) acrossInput.value = "";
      rowBoxes.forEach((box) => box.closest("tr").classList.toggle("selected", box.checked));
      if (pageBox) {
        pageBox.checked = allOnPage;
        pageBox.indeterminate = checked.length > 0 && !allOnPage;
      }
      const count = selectingAll() ? matching : checked.length;
      bar.querySelector("[data-selected-count]").textContent = count.toLocaleString();
      bar.querySelectorAll("[data-bulk]").forEach((button) => { button.disabled = count === 0; });
      // While anything is ticked the bar stays in view (see .bulk-bar.active in app.css).
      bar.classList.toggle("active", count > 0);
      if (across) {
        across.hidden = !(allOnPage && matching > rowBoxes.length);
        if (acrossText) {
          acrossText.textContent = selectingAll()
            ? `All ${matching.toLocaleString()} matching carts are selected.`
            : pageText;
        }
        if (acrossButton) acrossButton.hidden = selectingAll();
        if (clearButton) clearButton.hidden = !selectingAll();
      }
    };

    if (pageBox) {
      pageBox.disabled = rowBoxes.length === 0;
      pageBox.addEventListener("change", () => {
        rowBoxes.forEach((box) => { box.checked = pageBox.checked; });
        refresh();
      });
    }
    rowBoxes.forEach((box) => box.addEventListener("change", refresh));
    if (acrossButton) {
      acrossButton.addEventListener("click", () => { acrossInput.value = "1"; refresh(); });
    }
    if (clearButton) {
      clearButton.addEventListener("click", () => {
        acrossInput.value = "";
        rowBoxes.forEach((box) => { box.checked = false; });
        refresh();
      });
    }
  }

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
