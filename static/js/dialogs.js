// One dialog for the whole app: links and forms marked data-dialog / data-dialog-form load a
// server-rendered fragment into <dialog id="app-dialog">. Without JavaScript the same links
// and forms work as plain pages.
(function () {
  "use strict";
  const dialog = document.getElementById("app-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  let opener = null;

  function show(html) {
    dialog.innerHTML = html;
    if (!dialog.open) {
      opener = document.activeElement;
      dialog.showModal();
    }
    const first = initialFocus();
    if (first) first.focus();
  }

  // Where focus starts: a marked element, else a field to correct, else the first choice to
  // make (the price level, say), else the first button in the dialog (Close, never a
  // destructive default).
  function initialFocus() {
    const choices = ":is(select, textarea, input:not([type=hidden]))";
    return dialog.querySelector("[autofocus], [data-initial-focus]") ||
      dialog.querySelector(`${choices}[aria-invalid=true]:not(:disabled)`) ||
      dialog.querySelector(`.dialog-content ${choices}:not(:disabled)`) ||
      dialog.querySelector("button[type=submit], a[data-dialog-close]");
  }

  async function load(url, options) {
    const response = await fetch(url, {
      credentials: "same-origin",
      ...options,
      headers: { "X-Dialog": "1", ...(options && options.headers) },
    });
    const location = response.headers.get("X-Location");
    if (response.status === 204 && location) {
      window.location.assign(location);
      return;
    }
    if (response.status === 403) {
      show('<div class="dialog-body"><div class="dialog-content"><p class="notice error" role="alert">You do not have permission to do that.</p></div><footer class="dialog-footer"><button type="button" class="button" data-dialog-close>Close</button></footer></div>');
      return;
    }
    show(await response.text());
  }

  function submit(form, submitter) {
    const data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    // getAttribute: a field named "action" shadows form.action.
    load(form.getAttribute("action"), { method: "POST", body: data }).catch(failed);
  }

  function failed() {
    show('<div class="dialog-body"><div class="dialog-content"><p class="notice error" role="alert">The server could not be reached; nothing was changed. Try again.</p></div><footer class="dialog-footer"><button type="button" class="button" data-dialog-close>Close</button></footer></div>');
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-dialog]");
    if (link) {
      event.preventDefault();
      load(link.href).catch(failed);
      return;
    }
    if (event.target.closest("[data-dialog-close]") && dialog.contains(event.target)) {
      event.preventDefault();
      dialog.close();
    }
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("form[data-dialog-form]")) return;
    event.preventDefault();
    submit(form, event.submitter);
  });

  // A click on the backdrop (outside the dialog's box) closes it.
  dialog.addEventListener("click", (event) => {
    if (event.target !== dialog) return;
    const box = dialog.getBoundingClientRect();
    const inside = event.clientX >= box.left && event.clientX <= box.right &&
      event.clientY >= box.top && event.clientY <= box.bottom;
    if (!inside) dialog.close();
  });

  dialog.addEventListener("close", () => {
    dialog.innerHTML = "";
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  });
})();
