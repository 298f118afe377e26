// The insight above Open Carts: its rep table's headings are links the server sorts by
// (`?rep_sort=`); with JavaScript a click sorts the rows in place instead, and the address
// keeps the sort. The table may arrive later (the summary's second request), so the clicks
// are heard on the document.
(function () {
  "use strict";

  const number = (cell) => Number(cell.dataset.sortValue);

  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-sort-column]");
    if (!link) return;
    event.preventDefault();
    const table = link.closest("[data-sortable-table]");
    const heading = link.closest("th");
    const column = Number(link.dataset.sortColumn);
    // A first click sorts names up and figures down (biggest first); a second flips it.
    const current = heading.getAttribute("aria-sort");
    const first = column === 0 ? "ascending" : "descending";
    const order = current ? (current === "ascending" ? "descending" : "ascending") : first;
    table.querySelectorAll("thead th").forEach((th) => th.removeAttribute("aria-sort"));
    heading.setAttribute("aria-sort", order);
    const body = table.tBodies[0];
    const rows = [...body.rows];
    const sign = order === "ascending" ? 1 : -1;
    // Ties keep the rep number's order, as the server's sort does.
    const rep = (row) => number(row.cells[0]);
    rows.sort(
      (a, b) =>
        sign * (number(a.cells[column]) - number(b.cells[column])) || rep(a) - rep(b),
    );
    rows.forEach((row) => body.appendChild(row));
    const address = new URL(window.location.href);
    address.searchParams.set("rep_sort", (order === "descending" ? "-" : "") + link.dataset.sortName);
    window.history.replaceState(null, "", address);
  });
})();
