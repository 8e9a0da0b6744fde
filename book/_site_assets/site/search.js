/* Search results page only (deferred, after Sphinx's searchtools.js): snippets read as prose.
 * Sphinx builds each result's snippet from the text of the page; here the TeX source KaTeX keeps
 * for screen readers (.katex-mathml), code cells' input and their printed output are left out,
 * and runs of white space are collapsed. */
(function () {
  "use strict";
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  var original = Search.htmlToText;
  Search.htmlToText = function (htmlString, anchor) {
    var doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll(".katex-mathml, .cell_input, .cell_output, div.highlight, .eqno")
      .forEach(function (el) { el.remove(); });
    var text = original(doc.documentElement.outerHTML, anchor);
    return text.replace(/\s+/g, " ");
  };
})();
