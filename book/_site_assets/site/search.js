/* Search results page only (after Sphinx's searchtools.js): snippets read as prose, and each
 * page is listed once.
 *
 * Sphinx builds each result's snippet from the text of the page. Here the page's header buttons,
 * its print-only table of contents, the TeX source KaTeX keeps for screen readers
 * (.katex-mathml), code cells' input and output are left out, and runs of white space collapsed.
 * Sphinx lists a page once per matching title, section or glossary term; later entries for a
 * page already listed (the best-scored comes first) are hidden. */
(function () {
  "use strict";
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  var original = Search.htmlToText;
  var noise = ".bd-header-article, #jb-print-docs-body, .onlyprint, .katex-mathml, .cell_input, " +
              ".cell_output, div.highlight, .eqno, .headerlink";
  Search.htmlToText = function (htmlString, anchor) {
    var doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll(noise).forEach(function (el) { el.remove(); });
    return original(doc.documentElement.outerHTML, anchor).replace(/\s+/g, " ");
  };

  function hideRepeats(list) {
    var seen = {};
    list.querySelectorAll("li").forEach(function (item) {
      var link = item.querySelector("a");
      if (!link) return;
      var page = link.href.split("#")[0];
      item.hidden = Boolean(seen[page]);
      seen[page] = true;
    });
  }
  function watch() {
    var results = document.getElementById("search-results");
    if (!results) return;
    new MutationObserver(function () {
      var list = results.querySelector("ul.search");
      if (list) hideRepeats(list);
    }).observe(results, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();
