// praxis serve: reloads the page after each successful rebuild and shows the
// problems of a failed one. Only served by `praxis serve`, never written to the site.
(function () {
  "use strict";
  var overlayId = "praxis-overlay";
  var shownVersion = null;

  function removeOverlay() {
    var old = document.getElementById(overlayId);
    if (old) { old.parentNode.removeChild(old); }
  }

  function showOverlay(errors) {
    removeOverlay();
    var box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(20,20,20,.94);color:#fff;font:14px/1.5 monospace;padding:2rem";
    var title = document.createElement("h2");
    title.textContent = "praxis: the last change could not be built";
    title.style.cssText = "color:#ff8080;font:bold 18px sans-serif;margin:0 0 1rem";
    box.appendChild(title);
    var note = document.createElement("p");
    note.textContent = "This page shows the last good build. Fix the problem and save; the page reloads by itself.";
    box.appendChild(note);
    errors.forEach(function (text) {
      var pre = document.createElement("pre");
      pre.textContent = text;
      pre.style.cssText = "white-space:pre-wrap;border-left:4px solid #ff8080;padding-left:1rem";
      box.appendChild(pre);
    });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", removeOverlay);
    box.appendChild(close);
    document.body.appendChild(box);
  }

  function check(reloadIfNew) {
    fetch("/__praxis/status", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (shownVersion === null) { shownVersion = s.version; }
        if (!s.ok) { showOverlay(s.errors || []); return; }
        if (reloadIfNew && shownVersion !== null && s.version !== shownVersion) {
          location.reload();
          return;
        }
        shownVersion = s.version;
        removeOverlay();
      })
      .catch(function () {});
  }

  check(false);
  var events = new EventSource("/__praxis/events");
  events.addEventListener("reload", function () { check(true); });
})();
