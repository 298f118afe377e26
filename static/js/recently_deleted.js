// Recently deleted: row and page check boxes and "select all matching" for the bulk Restore,
// as on Open Carts. Without JavaScript the ticks and the Restore buttons still work.
(function () {
  "use strict";
  const table = document.getElementById("deleted-carts");
  const bar = document.getElementById("bulk-bar");
  if (!table || !bar) return;
  const pageBox = table.querySelector("[data-select-page]");
  const rowBoxes = Array.from(table.querySelectorAll("[data-select-row]"));
  const across = document.getElementById("select-across");
  const acrossInput = document.querySelector("[data-select-across-input]");
  const acrossButton = document.querySelector("[data-select-across]");
  const clearButton = document.querySelector("[data-clear-selection]");
  const acrossText = document.querySelector("[data-select-across-text]");
  const matching = Number(bar.dataset.matching || 0);
  const pageText = acrossText.textContent;

  function selectingAll() {
    return acrossInput.value === "1";
  }

  function refresh() {
    const checked = rowBoxes.filter((box) => box.checked);
    const allOnPage = rowBoxes.length > 0 && checked.length === rowBoxes.length;
    if (!allOnPage) acrossInput.value = "";
    rowBoxes.forEach((box) => box.closest("tr").classList.toggle("selected", box.checked));
    if (pageBox) {
      pageBox.checked = allOnPage;
      pageBox.indeterminate = checked.length > 0 && !allOnPage;
    }
    const count = selectingAll() ? matching : checked.length;
    bar.querySelector("[data-selected-count]").textContent = count.toLocaleString();
    bar.querySelectorAll("[data-bulk]").forEach((button) => { button.disabled = count === 0; });
    across.hidden = !(allOnPage && matching > rowBoxes.length);
    acrossText.textContent = selectingAll()
      ? `All ${matching.toLocaleString()} matching carts are selected.`
      : pageText;
    acrossButton.hidden = selectingAll();
    clearButton.hidden = !selectingAll();
  }

  if (pageBox) {
    pageBox.disabled = rowBoxes.length === 0;
    pageBox.addEventListener("change", () => {
      rowBoxes.forEach((box) => { box.checked = pageBox.checked; });
      refresh();
    });
  }
  rowBoxes.forEach((box) => box.addEventListener("change", refresh));
  acrossButton.addEventListener("click", () => { acrossInput.value = "1"; refresh(); });
  clearButton.addEventListener("click", () => {
    acrossInput.value = "";
    rowBoxes.forEach((box) => { box.checked = false; });
    refresh();
  });
  refresh();
})();
