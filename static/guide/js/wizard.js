// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // After htmx swaps a new page into <main>, move focus to its error summary if it has one (its
  // role=alert is read out), otherwise to its heading, which is announced.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.target || event.detail.target.id !== "contenu") return;
    var summary = event.detail.target.querySelector(".error-summary");
    if (summary) {
      summary.focus();
      return;
    }
    var heading = event.detail.target.querySelector("h1");
    if (!heading) return;
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: false });
    var region = document.getElementById("annonce");
    if (region) region.textContent = heading.textContent.trim();
  });

  // A link of the error summary moves focus to its field and shows the question above it
  // (a plain fragment link would scroll the legend out of sight).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var legend = field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
    field.focus({ preventScroll: true });
    (legend || field).scrollIntoView({ block: "start" });
  });

  // An answer htmx does not swap (a server error, a lost connection) must not leave the page
  // silent: repeat the request without htmx, so the browser shows what the server says.
  function withoutHtmx(event) {
    var element = event.detail && event.detail.elt;
    if (!element) return;
    if (element.tagName === "FORM") {
      HTMLFormElement.prototype.submit.call(element);
    } else if (element.href) {
      window.location.assign(element.href);
    }
  }
  document.addEventListener("htmx:responseError", withoutHtmx);
  document.addEventListener("htmx:sendError", withoutHtmx);

  // htmx 2 writes the current address (which carries the encrypted answers) to sessionStorage
  // at every navigation, even with its history cache off. It works without it: wipe it.
  function forgetHistoryPath() {
    try { sessionStorage.removeItem("htmx-current-path-for-history"); } catch (e) { /* storage blocked */ }
  }
  ["DOMContentLoaded", "htmx:pushedIntoHistory", "htmx:replacedInHistory", "htmx:historyRestore", "htmx:afterSettle"]
    .forEach(function (name) { document.addEventListener(name, forgetHistoryPath); });
  forgetHistoryPath();

  // "Votre commune": the text field becomes an ARIA combobox (pattern of the WAI-ARIA APG) whose
  // suggestions come from the server through htmx. Without JavaScript the form does the same
  // search when it is sent and offers a choice.
  function comboboxParts(input) {
    return {
      list: document.getElementById(input.getAttribute("aria-controls")),
      picked: document.getElementById("commune-picked"),
      status: document.getElementById("commune-status")
    };
  }
  function setActive(input, option) {
    var parts = comboboxParts(input);
    parts.list.querySelectorAll("[role=option]").forEach(function (other) {
      other.setAttribute("aria-selected", other === option ? "true" : "false");
      other.classList.toggle("active", other === option);
    });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function closeList(input) {
    var parts = comboboxParts(input);
    parts.list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(input, null);
  }
  function choose(input, option) {
    var parts = comboboxParts(input);
    input.value = option.textContent.trim();
    parts.picked.value = option.dataset.key;
    document.querySelectorAll("input[type=radio][name=answer]").forEach(function (radio) { radio.checked = false; });
    closeList(input);
    parts.status.textContent = input.value + "\u202f: choisie. Appuyez sur Continuer.";
  }
  function enhanceCommuneSearch(root) {
    root.querySelectorAll("[data-commune-search]:not([data-ready])").forEach(function (input) {
      input.dataset.ready = "1";
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-autocomplete", "list");
      input.setAttribute("aria-expanded", "false");
      input.setAttribute("aria-controls", "commune-suggestions");
      var parts = comboboxParts(input);
      input.addEventListener("input", function () { parts.picked.value = ""; });
      input.addEventListener("keydown", function (event) {
        var options = Array.prototype.slice.call(parts.list.querySelectorAll("[role=option]"));
        var active = parts.list.querySelector("[aria-selected=true]");
        var index = options.indexOf(active);
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          if (!options.length) return;
          event.preventDefault();
          parts.list.hidden = false;
          input.setAttribute("aria-expanded", "true");
          var step = event.key === "ArrowDown" ? 1 : -1;
          setActive(input, options[(index + step + options.length) % options.length]);
        } else if (event.key === "Enter" && active && !parts.list.hidden) {
          event.preventDefault();
          choose(input, active);
        } else if (event.key === "Escape" && !parts.list.hidden) {
          event.preventDefault();
          closeList(input);
        }
      });
      parts.list.addEventListener("mousedown", function (event) {
        var option = event.target.closest("[role=option]");
        if (option) { event.preventDefault(); choose(input, option); input.focus(); }
      });
      input.addEventListener("blur", function () { closeList(input); });
    });
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "commune-suggestions") return;
    var input = document.querySelector("[data-commune-search]");
    if (!input) return;
    var parts = comboboxParts(input);
    var count = parts.list.querySelectorAll("[role=option]").length;
    parts.list.hidden = count === 0;
    input.setAttribute("aria-expanded", count ? "true" : "false");
    setActive(input, null);
    parts.status.textContent = input.value.trim().length < 2 ? "" :
      count === 0 ? "Aucune commune proposée." :
      count + (count > 1 ? " communes proposées" : " commune proposée") + "\u202f: flèche du bas pour choisir.";
  });
  document.addEventListener("DOMContentLoaded", function () { enhanceCommuneSearch(document); });
  document.addEventListener("htmx:afterSettle", function () { enhanceCommuneSearch(document); });

  // Counter mode (/guichet/, body.counter): a shared computer. Every page of a visit replaces the
  // same history entry (htmx does it from the server's HX-Replace-Url; plain links and the search
  // form are replaced here), so that Back and Forward reach nothing of a visit once it has ended.
  // The server refuses the ended visit's addresses anyway (guide/counter.py): this is the first
  // line, not the only one.
  var counterMode = document.body && document.body.classList.contains("counter");
  if (!counterMode) return;

  function endVisit() {
    var form = document.getElementById("visiteur-suivant");
    var body = new URLSearchParams();
    // The address's token: the form's was written when the page was loaded, before htmx moved on.
    body.set("s", new URLSearchParams(window.location.search).get("s") || form.elements.s.value);
    function home() {
      try { sessionStorage.clear(); } catch (e) { /* storage blocked */ }
      window.location.replace(form.dataset.home);
    }
    fetch(form.action, { method: "POST", body: body, redirect: "manual", credentials: "same-origin" })
      .then(home, home);
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id === "visiteur-suivant") {
      event.preventDefault();
      endVisit();
    } else if (form.method === "get" && !form.hasAttribute("hx-get")) {
      event.preventDefault();
      var url = new URL(form.action, window.location.href);
      url.search = new URLSearchParams(new FormData(form)).toString();
      window.location.replace(url.href);
    }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || event.defaultPrevented || link.hasAttribute("hx-get") || link.target) return;
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    var url = new URL(link.href, window.location.href);
    // Same-page fragments stay as they are; the PDF opens as a new entry (Back returns to the
    // result); other sites are left alone.
    if (url.origin !== window.location.origin || url.pathname.endsWith(".pdf")) return;
    if (url.pathname === window.location.pathname && url.search === window.location.search && url.hash) return;
    event.preventDefault();
    window.location.replace(url.href);
  });

  // Inactivity: after `data-counter-idle` seconds without a key, a click or a touch, the dialog
  // warns (the last minute, or the last half when shorter) and counts down; "Continuer la visite"
  // (or Escape) closes it, "Visiteur suivant" or the end of the count ends the visit.
  var idle = parseInt(document.body.dataset.counterIdle, 10);
  var dialog = document.getElementById("inactivite");
  if (!idle || !dialog || typeof dialog.showModal !== "function") return;
  var warning = Math.min(60, Math.floor(idle / 2));
  var countdown = dialog.querySelector("[data-countdown]");
  var timer = null, ticker = null, left = 0;
  function restart() {
    if (dialog.open) return;
    clearTimeout(timer);
    timer = setTimeout(warn, (idle - warning) * 1000);
  }
  function warn() {
    left = warning;
    countdown.textContent = left;
    dialog.showModal();
    dialog.querySelector("[data-continue]").focus();
    ticker = setInterval(function () {
      left -= 1;
      if (left <= 0) {
        clearInterval(ticker);
        endVisit();
        return;
      }
      countdown.textContent = left;
    }, 1000);
  }
  dialog.addEventListener("close", function () {
    clearInterval(ticker);
    restart();
  });
  dialog.querySelector("[data-continue]").addEventListener("click", function () { dialog.close(); });
  dialog.querySelector("[data-end]").addEventListener("click", function () {
    clearInterval(ticker);
    endVisit();
  });
  ["keydown", "pointerdown", "input", "wheel", "touchstart"].forEach(function (name) {
    document.addEventListener(name, restart, { passive: true, capture: true });
  });
  document.addEventListener("htmx:afterSettle", restart);
  restart();
})();
