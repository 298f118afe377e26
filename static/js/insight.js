// The insight above Open Carts: its rep table sorts by a heading's button. The table may
// arrive later (the summary's second request), so the clicks are heard on the document.
(function () {
  "use strict";

  const number = (cell) => Number(cell.dataset.sortValue);

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-sort-column]");
    if (!button) return;
    const table = button.closest("[data-sortable-table]");
    const heading = button.closest("th");
    const column = Number(button.dataset.sortColumn);
    // A first click sorts names up and figures down (biggest first); a second flips it.
    const current = heading.getAttribute("aria-sort");
    const first = column === 0 ? "ascending" : "descending";
    const order = current ? (current === "ascending" ? "descending" : "ascending") : first;
    table.querySelectorAll("thead th").forEach((th) => th.removeAttribute("aria-sort"));
    heading.setAttribute("aria-sort", order);
    const body = table.tBodies[0];
    const rows = [...body.rows];
    const sign = order === "ascending" ? 1 : -1;
    rows.sort((a, b) => sign * (number(a.cells[column]) - number(b.cells[column])));
    rows.forEach((row) => body.appendChild(row));
  });
})();
