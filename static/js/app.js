// FixDesk: small progressive enhancements. Everything works without JavaScript.
(function () {
  "use strict";

  // Dismissable alerts: any button with data-dismiss="alert" removes its alert.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-dismiss='alert']");
    if (button) {
      var alert = button.closest(".alert");
      if (alert) alert.remove();
    }
  });

  // Forms marked data-drop-empty send (and push into the address bar) only the filters
  // that are set, so shared URLs stay short: /agent/?status=OPEN instead of ?q=&team=&…
  document.addEventListener("htmx:configRequest", function (event) {
    var source = event.detail.elt;
    var form = source && source.closest ? source.closest("form[data-drop-empty]") : null;
    var data = event.detail.formData;
    if (!form || !data) return;
    Array.from(data.keys()).forEach(function (key) {
      var kept = data.getAll(key).filter(function (value) {
        return value !== "" && value !== "unknown";
      });
      data.delete(key);
      kept.forEach(function (value) {
        data.append(key, value);
      });
    });
  });
})();
