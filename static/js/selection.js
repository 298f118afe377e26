// The selection model both cart lists share: row and page check boxes, "select all N
// matching" (a hidden select_across input) and the bulk bar's count and buttons.
// cartSelection(table, bar, matching) wires it up and returns refresh(), which a page calls
// again when `matching()` (how many carts match the filters) changes.
window.cartSelection = function (table, bar, matching) {
  "use strict";
  const pageBox = table.querySelector("[data-select-page]");
  const rowBoxes = Array.from(table.querySelectorAll("[data-select-row]"));
  const across = document.getElementById("select-across");
  const acrossInput = document.querySelector("[data-select-across-input]");
  const acrossButton = document.querySelector("[data-select-across]");
  const clearButton = document.querySelector("[data-clear-selection]");
  const acrossText = document.querySelector("[data-select-across-text]");
  const pageText = acrossText ? acrossText.textContent : "";
  const selectingAll = () => acrossInput && acrossInput.value === "1";

  // On a phone the table's head stays in view just under the bar (see app.css).
  const measureBar = () => {
    bar.parentElement.style.setProperty("--bulk-bar-height", `${bar.offsetHeight}px`);
  };
  window.addEventListener("resize", measureBar);

  const refresh = () => {
    const checked = rowBoxes.filter((box) => box.checked);
    const allOnPage = rowBoxes.length > 0 && checked.length === rowBoxes.length;
    if (!allOnPage && acrossInput) acrossInput.value = "";
    rowBoxes.forEach((box) => box.closest("tr").classList.toggle("selected", box.checked));
    if (pageBox) {
      pageBox.checked = allOnPage;
      pageBox.indeterminate = checked.length > 0 && !allOnPage;
    }
    const count = selectingAll() ? matching() : checked.length;
    bar.querySelector("[data-selected-count]").textContent = count.toLocaleString();
    bar.querySelectorAll("[data-bulk]").forEach((button) => { button.disabled = count === 0; });
    // While anything is ticked the bar stays in view (see .bulk-bar.active in app.css).
    bar.classList.toggle("active", count > 0);
    measureBar();
    if (across) {
      across.hidden = !(allOnPage && matching() > rowBoxes.length);
      if (acrossText) {
        acrossText.textContent = selectingAll()
          ? `All ${matching().toLocaleString()} matching carts are selected.`
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
  refresh();
  return refresh;
};
