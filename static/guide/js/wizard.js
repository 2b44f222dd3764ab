// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // After htmx swaps a new page into <main>, move focus to its heading and announce it.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.target || event.detail.target.id !== "contenu") return;
    var heading = event.detail.target.querySelector("h1");
    if (!heading) return;
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: false });
    var region = document.getElementById("annonce");
    if (region) region.textContent = heading.textContent.trim();
  });

  // htmx 2 writes the current address (which carries the encrypted answers) to sessionStorage
  // at every navigation, even with its history cache off. It works without it: wipe it.
  function forgetHistoryPath() {
    try { sessionStorage.removeItem("htmx-current-path-for-history"); } catch (e) { /* storage blocked */ }
  }
  ["DOMContentLoaded", "htmx:pushedIntoHistory", "htmx:replacedInHistory", "htmx:historyRestore", "htmx:afterSettle"]
    .forEach(function (name) { document.addEventListener(name, forgetHistoryPath); });
  forgetHistoryPath();

  // The print button needs JavaScript: show it only when it works.
  function showPrintButtons(root) {
    root.querySelectorAll("[data-print]:not([data-ready])").forEach(function (button) {
      button.dataset.ready = "1";
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { showPrintButtons(document); });
  document.addEventListener("htmx:afterSettle", function () { showPrintButtons(document); });
})();
