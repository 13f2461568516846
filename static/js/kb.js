// FixDesk knowledge base: small progressive enhancements (the pages work without them).
(function () {
  "use strict";
  if (window.fixdeskKb) return; // included by several partials: set up once
  window.fixdeskKb = true;

  var DRAFT_KEY = "fixdesk:new-ticket-draft";

  // Agent panel: "Insert into reply" appends the article's title, summary and link to the reply box.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-kb-insert]");
    if (!button) return;
    var box = document.querySelector(button.getAttribute("data-kb-target") || "#id_body");
    if (!box) return;
    var text = button.getAttribute("data-kb-insert");
    box.value = box.value.replace(/\s+$/, "") + (box.value.trim() ? "\n\n" : "") + text + "\n";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.focus();
  });

  function fields(form) {
    return Array.from(form.elements).filter(function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "submit" && el.type !== "file";
    });
  }

  // New-ticket form: keep what the customer typed while they read a suggested article, so
  // "I still need help" brings them back to the form with everything in place.
  function keepDraft(form) {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(DRAFT_KEY) || "null");
    } catch (e) {
      saved = null;
    }
    if (saved && (!saved.subject || !form.subject || !form.subject.value || form.subject.value === saved.subject)) {
      // Refill what is still empty (the server may already have put the subject back).
      fields(form).forEach(function (el) {
        if (!el.value && typeof saved[el.name] === "string") el.value = saved[el.name];
      });
    }
    var subject = form.querySelector("[name=subject]");
    var fromLink = new URLSearchParams(window.location.search).get("subject");
    if (subject && !subject.value && fromLink) subject.value = fromLink;
    form.addEventListener("input", function () {
      var data = {};
      fields(form).forEach(function (el) {
        data[el.name] = el.value;
      });
      try {
        sessionStorage.setItem(DRAFT_KEY, JSON.stringify(data));
      } catch (e) {
        /* storage full or disabled: nothing to keep */
      }
    });
    form.addEventListener("submit", function () {
      sessionStorage.removeItem(DRAFT_KEY);
    });
  }

  // Runs before htmx processes the page (deferred scripts run in order, before DOMContentLoaded),
  // so the suggestions box loads for a restored subject.
  document.querySelectorAll("form[data-kb-draft]").forEach(keepDraft);
  if (document.querySelector("[data-kb-clear-draft]")) sessionStorage.removeItem(DRAFT_KEY);
})();
