// A list's filters, the same on Open Carts and Recently deleted: on a phone they fold behind one
// "Filters (N)" button (open while some are invalid), and only the fields in use go into the URL.
(function () {
  "use strict";
  const filters = document.querySelector("[data-filters]");
  const filtersForm = document.querySelector("[data-filters-form]");
  const toggle = document.querySelector("[data-filters-toggle]");
  if (filters && filtersForm && toggle) {
    const setOpen = (open) => {
      filters.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", String(open));
    };
    filters.classList.add("collapsible");
    toggle.hidden = false;
    setOpen(filtersForm.querySelector("[aria-invalid=true], .form-errors") !== null);
    toggle.addEventListener("click", () => setOpen(!filters.classList.contains("open")));
  }
  // A bookmarked view stays short.
  if (filtersForm) {
    filtersForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const query = new URLSearchParams();
      new FormData(filtersForm).forEach((value, name) => {
        if (String(value).trim() !== "") query.append(name, value);
      });
      const search = query.toString();
      window.location.assign(window.location.pathname + (search ? `?${search}` : ""));
    });
  }
})();
