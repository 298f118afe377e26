// Open Carts: the page check box, the selection count, and the rows-per-page switch.
(function () {
  "use strict";
  const table = document.getElementById("open-carts");
  const bar = document.getElementById("bulk-bar");
  const pageBox = table && table.querySelector("[data-select-page]");
  const rowBoxes = table ? Array.from(table.querySelectorAll("[data-select-row]")) : [];

  function refresh() {
    const checked = rowBoxes.filter((box) => box.checked);
    rowBoxes.forEach((box) => box.closest("tr").classList.toggle("selected", box.checked));
    if (pageBox) {
      pageBox.checked = rowBoxes.length > 0 && checked.length === rowBoxes.length;
      pageBox.indeterminate = checked.length > 0 && checked.length < rowBoxes.length;
    }
    if (bar) {
      bar.querySelector("[data-selected-count]").textContent = String(checked.length);
      bar.dataset.selected = String(checked.length);
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

  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });

  refresh();
})();
