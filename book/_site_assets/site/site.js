/* The book's own script, on every page, deferred.
 *
 * The table of contents toggle. sphinx-book-theme 1.3 puts a "Toggle primary sidebar" button in
 * the article header, but pydata-sphinx-theme 0.17 (and sphinx-book-theme's own script) bind only
 * the first `.primary-toggle` on the page, which is the theme's hidden navbar button
 * (pydata-sphinx-theme issue 2451). So the visible buttons do nothing. Here each further toggle
 * does what the first would: at desktop width it shows/hides the sidebar, at phone width it
 * clicks the first toggle, whose handler opens the sidebar as a dialog. Same for the secondary
 * (page contents) toggle.
 */
(function () {
  "use strict";
  function wire(selector, sidebarId) {
    var toggles = document.querySelectorAll(selector);
    if (toggles.length < 2) return;
    var first = toggles[0];
    var sidebar = document.getElementById(sidebarId);
    toggles.forEach(function (button, index) {
      if (index === 0) return;
      button.addEventListener("click", function (event) {
        event.preventDefault();
        event.stopImmediatePropagation();
        var desktop = window.matchMedia("(min-width: 992px)").matches;
        if (desktop && sidebar && selector === ".primary-toggle") {
          sidebar.classList.toggle("pst-sidebar-hidden");
          button.setAttribute("aria-expanded", String(!sidebar.classList.contains("pst-sidebar-hidden")));
        } else {
          first.click();
        }
        button.blur();
      }, true);
    });
  }
  function init() {
    wire(".primary-toggle", "pst-primary-sidebar");
    wire(".secondary-toggle", "pst-secondary-sidebar");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
