// claimtracker: progressive enhancement only. Every page works without this file.
// No inline scripts or handlers anywhere (a CSP will forbid them): behaviour hangs off classes/ids.
(function () {
  "use strict";

  // htmx settings: swap every 4xx (each carries the message for the form that failed; the app's
  // error page comes with HX-Retarget: #flash), never eval, no injected inline styles, and a full
  // reload when history has no cached copy of a page. A 5xx or a lost connection is said in #flash.
  if (window.htmx) {
    window.htmx.config.allowEval = false;
    window.htmx.config.includeIndicatorStyles = false;
    window.htmx.config.refreshOnHistoryMiss = true;
    window.htmx.config.historyRestoreAsHxRequest = false;
    window.htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "4..", swap: true, error: false },
      { code: "5..", swap: false, error: true },
    ];
  }

  function flash(text) {
    var box = document.getElementById("flash");
    if (!box) return;
    box.replaceChildren();
    if (!text) return;
    var p = document.createElement("p");
    p.className = "flash error";
    p.setAttribute("role", "alert");
    p.textContent = text;
    box.appendChild(p);
  }
  document.addEventListener("htmx:beforeRequest", function () { flash(""); });
  document.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail.xhr;
    if (xhr && xhr.status >= 500) {
      flash("The server could not answer (HTTP " + xhr.status + "). Reload the page to see what was saved, then try again.");
    }
  });
  document.addEventListener("htmx:sendError", function () {
    flash("The server could not be reached. Check the connection and try again.");
  });

  // Offsets are counted as the server counts them, in Unicode code points (Python str indexes);
  // JavaScript string lengths are UTF-16 units, where an emoji or any character beyond U+FFFF is 2.
  function codePoints(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++, n++) {
      var c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        var d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
    }
    return n;
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
        var n = codePoints(before.toString());
        return n >= codePoints(piece.textContent) ? Number(piece.dataset.end) : Number(piece.dataset.start) + n;
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
      var s = Array.from(range.toString());  // by code point: a cut never splits an emoji
      preview.textContent = "Selected " + a + "–" + b + ": “" + (s.length > 160 ? s.slice(0, 157).join("") + "…" : s.join("")) + "”";
      preview.hidden = false;
    }
  }

  // A highlight is plain text (selecting inside it must work), so a click on one, without a
  // selection, points at its entry in the lists beside the text, where its claim is a link.
  function pointAt(e) {
    var sel = window.getSelection();
    if (sel && !sel.isCollapsed) return;
    var mark = e.target && e.target.closest ? e.target.closest("#article-text mark[data-mention-ids], #article-text mark[data-suggestion-ids]") : null;
    if (!mark) return;
    var ids = (mark.dataset.mentionIds || mark.dataset.suggestionIds || "").split(" ");
    var item = document.getElementById((mark.dataset.mentionIds ? "mention-item-" : "suggestion-item-") + ids[0]);
    if (!item) return;
    var old = document.querySelectorAll(".is-pointed");
    for (var i = 0; i < old.length; i++) old[i].classList.remove("is-pointed");
    item.classList.add("is-pointed");
    mark.classList.add("is-pointed");
    item.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("click", pointAt);
  document.addEventListener("mouseup", onSelection);
  document.addEventListener("keyup", function (e) {
    if (e.shiftKey || e.key === "Shift") onSelection();
  });

  // Pasting a second article should start from an empty form once the first one went in: its text,
  // title, author and URL belong to that article; the outlet and date often carry over.
  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.target;
    if (form && form.classList && form.classList.contains("ingest-text") && e.detail.xhr && e.detail.xhr.status < 300) {
      var fields = form.querySelectorAll("textarea[name=text], input[name=title], input[name=author], input[name=url]");
      for (var i = 0; i < fields.length; i++) fields[i].value = "";
    }
  });
})();

// ==== Suggestions queue: keyboard (templates/suggestions.html, _suggestion.html) ====================
// j/k move a visible selection between items, a accepts, r rejects, c accepts as contradicts, x ticks
// the item's checkbox for "Accept selected". Decisions submit the item's own form, so htmx (hx-post)
// swaps the item out when it is loaded and the plain POST + 303 works when it is not. Keys typed
// into a text field are left alone.
(function () {
  "use strict";

  function list() { return document.getElementById("suggestion-list"); }

  function queueItems() {
    var root = list();
    return root ? Array.prototype.slice.call(root.querySelectorAll("li.suggestion")) : [];
  }

  function current() {
    var root = list();
    return root ? root.querySelector("li.suggestion.is-current") : null;
  }

  function select(li) {
    var old = current();
    if (old && old !== li) {
      old.classList.remove("is-current");
      old.removeAttribute("aria-current");
    }
    if (!li) return;
    li.classList.add("is-current");
    li.setAttribute("aria-current", "true");
    li.focus({ preventScroll: true });
    li.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var items = queueItems();
    if (!items.length) return;
    var i = items.indexOf(current());
    var next = i < 0 ? (step > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, i + step));
    select(items[next]);
  }

  function submit(form) {
    if (typeof form.requestSubmit === "function") form.requestSubmit();  // htmx hears the submit event
    else form.submit();
  }

  // The item leaves when the answer arrives; the selection moves on at once.
  function decide(li, form) {
    if (!form) return;
    var items = queueItems();
    var i = items.indexOf(li);
    select(items[i + 1] || items[i - 1] || null);
    if (li.classList.contains("is-current")) {
      li.classList.remove("is-current");
      li.removeAttribute("aria-current");
    }
    submit(form);
  }

  function contradictsForm(li) {
    var other = li.querySelector("form.decide-stance[data-stance=contradicts]");
    return other || (li.classList.contains("stance-contradicts") ? li.querySelector("form.decide-accept") : null);
  }

  function typing(target) {
    if (!target || !target.tagName) return false;
    if (target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "SELECT") return true;
    return target.tagName === "INPUT" && !/^(checkbox|radio|button|submit|reset)$/i.test(target.type);
  }

  document.addEventListener("keydown", function (e) {
    if (!list() || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    var key = e.key;
    if (key === "j" || key === "k") {
      move(key === "j" ? 1 : -1);
      e.preventDefault();
      return;
    }
    var li = current();
    if (!li) return;
    if (key === "a") decide(li, li.querySelector("form.decide-accept"));
    else if (key === "r") decide(li, li.querySelector("form.decide-reject"));
    else if (key === "c") decide(li, contradictsForm(li));
    else if (key === "x") {
      var box = li.querySelector("input[type=checkbox][name=ids]");
      if (box) {
        box.checked = !box.checked;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    } else return;
    e.preventDefault();
  });

  // After a plain-form decision the 303 lands on #s<next id>: select that item again.
  function selectFromHash() {
    var match = /^#s(\d+)$/.exec(window.location.hash || "");
    var root = list();
    if (!match || !root) return;
    var li = root.querySelector("li.suggestion[data-mention-id='" + match[1] + "']");
    if (li) select(li);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", selectFromHash);
  else selectFromHash();
})();
// ==== end of suggestions queue keyboard ==============================================================
