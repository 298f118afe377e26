// The Jobs page: while any job is queued or running, fetch the list again every 2 seconds.
(function () {
  "use strict";
  var section = document.getElementById("jobs");
  if (!section) return;
  function active() {
    var list = section.querySelector(".job-list");
    return list && list.dataset.active === "true";
  }
  function refresh() {
    if (!active()) return;
    fetch(section.dataset.refreshUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html !== null) section.innerHTML = html;
        window.setTimeout(refresh, 2000);
      })
      .catch(function () { window.setTimeout(refresh, 5000); });
  }
  window.setTimeout(refresh, 2000);
})();
