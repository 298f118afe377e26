// Recently deleted: the same selection as Open Carts (selection.js) for the bulk Restore.
// Without JavaScript the ticks and the Restore buttons still work.
(function () {
  "use strict";
  const table = document.getElementById("deleted-carts");
  const bar = document.getElementById("bulk-bar");
  if (table && bar) window.cartSelection(table, bar, () => Number(bar.dataset.matching || 0));
})();
