// Open Carts: row and page check boxes, "select all matching", and the rows-per-page switch.
(function () {
  "use strict";
  const table = document.getElementById("open-carts");
  const bar = document.getElementById("bulk-bar");
  if (!table || !bar) return;
  const pageBox = table.querySelector("[data-select-page]");
  const rowBoxes = Array.from(table.querySelectorAll("[data-select-row]"));
  const across = document.getElementById("select-across");
  const acrossInput = document.querySelector("[data-select-across-input]");
  const acrossButton = document.querySelector("[data-select-across]");
  const clearButton = document.querySelector("[data-clear-selection]");
  const acrossText = document.querySelector("[data-select-across-text]");
  // How many carts match: known at once, or once the summary request below answers.
  let matching = Number(bar.dataset.matching || 0);
  const pageText = acrossText ? acrossText.textContent : "";

  function selectingAll() {
    return acrossInput && acrossInput.value === "1";
  }

  function refresh() {
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
  }

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

  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });

  // Filters no tally can answer: the rows come first, the count and value in a second request.
  const pending = document.querySelector("[data-summary-url]");
  if (pending) {
    fetch(pending.dataset.summaryUrl, { headers: { "X-Dialog": "1" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        pending.outerHTML = html;
        const stats = document.querySelector("[data-summary-stats]");
        matching = Number(stats.dataset.matching || 0);
        bar.dataset.matching = String(matching);
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
