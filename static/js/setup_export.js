// The store set-up's export page: "Select all" ticks or clears every column of the chosen
// layout (django-import-export's own page wires it with an inline handler, which the
// Content Security Policy refuses). onSelectToggleChange is the library's, loaded before.
document.addEventListener("DOMContentLoaded", () => {
  for (const toggle of document.querySelectorAll(".select-toggle")) {
    toggle.addEventListener("change", (event) => onSelectToggleChange(event));
  }
});
