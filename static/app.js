// claimtracker: progressive enhancement only. Every page works without this file.
// No inline scripts or handlers anywhere (a CSP will forbid them): behaviour hangs off classes/ids.
(function () {
  "use strict";

  // htmx settings: swap our 4xx pages (they carry the message for the form that failed), never eval,
  // no injected inline styles, and a full reload when history has no cached copy of a page.
  if (window.htmx) {
    window.htmx.config.allowEval = false;
    window.htmx.config.includeIndicatorStyles = false;
    window.htmx.config.refreshOnHistoryMiss = true;
    window.htmx.config.historyRestoreAsHxRequest = false;
    window.htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "(404|409|413|422)", swap: true, error: false },
      { code: "[45]..", swap: false, error: true },
    ];
  }

  // A point in the DOM -> a character offset into the article's ORIGINAL text. Each piece of the
  // text carries data-start/data-end; counting inside one piece only keeps the offset exact even
  // where the browser normalised "\r\n" to "\n" (a piece never spans a line break).
  function offsetOf(container, node, offset) {
    var pieces = container.querySelectorAll("[data-start]");
    var last = 0;
    for (var i = 0; i < pieces.length; i++) {
      var piece = pieces[i];
      var range = document.createRange();
      range.selectNodeContents(piece);
      var where = range.comparePoint(node, offset);
      if (where < 0) return Number(piece.dataset.start);
      if (where === 0) {
        var before = document.createRange();
        before.setStart(piece, 0);
        before.setEnd(node, offset);
        var n = before.toString().length;
        return n >= piece.textContent.length ? Number(piece.dataset.end) : Number(piece.dataset.start) + n;
      }
      last = Number(piece.dataset.end);
    }
    return last;
  }

  function onSelection() {
    var text = document.getElementById("article-text");
    var start = document.getElementById("link-start");
    var end = document.getElementById("link-end");
    var sel = window.getSelection();
    if (!text || !start || !end || !sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    var range = sel.getRangeAt(0);
    if (!text.contains(range.commonAncestorContainer)) return;
    var a = offsetOf(text, range.startContainer, range.startOffset);
    var b = offsetOf(text, range.endContainer, range.endOffset);
    if (b <= a) return;
    start.value = a;
    end.value = b;
    var preview = document.getElementById("selection-preview");
    if (preview) {
      var s = range.toString();
      preview.textContent = "Selected " + a + "–" + b + ": “" + (s.length > 160 ? s.slice(0, 157) + "…" : s) + "”";
      preview.hidden = false;
    }
  }

  document.addEventListener("mouseup", onSelection);
  document.addEventListener("keyup", function (e) {
    if (e.shiftKey || e.key === "Shift") onSelection();
  });

  // Pasting a second article should start from an empty box once the first one went in.
  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.target;
    if (form && form.classList && form.classList.contains("ingest-text") && e.detail.xhr && e.detail.xhr.status < 300) {
      var box = form.querySelector("textarea[name=text]");
      if (box) box.value = "";
    }
  });
})();
