// A table wider than its `.table-wrap` scrolls sideways; keyboard users must reach it (WCAG 2.1.1, axe's
// scrollable-region-focusable). While it overflows the wrapper is a focusable region named after the table's caption
// or the nearest heading before it; when it fits again it leaves the tab order (issue 12 item 17).
(function () {
  var fallback = (document.currentScript && document.currentScript.dataset.label) || "";
  var counter = 0;

  function labelFor(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) return { text: caption.textContent.trim() };
    for (var node = wrap; node && node !== document.body; node = node.parentElement) {
      for (var prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^(H[1-6]|FIGCAPTION)$/.test(prev.tagName)) return { element: prev };
      }
    }
    return { text: fallback };
  }

  function update(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      var label = labelFor(wrap);
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      if (label.element) {
        if (!label.element.id) label.element.id = "scroll-region-" + (++counter);
        wrap.setAttribute("aria-labelledby", label.element.id);
      } else {
        wrap.setAttribute("aria-label", label.text);
      }
    } else if (!scrolls && wrap.getAttribute("tabindex") === "0") {
      ["tabindex", "role", "aria-label", "aria-labelledby"].forEach(function (name) { wrap.removeAttribute(name); });
    }
  }

  function scan(root) {
    (root.querySelectorAll ? root : document).querySelectorAll(".table-wrap").forEach(function (wrap) {
      update(wrap);
      if (window.ResizeObserver && !wrap.dataset.watched) {
        wrap.dataset.watched = "1";
        new ResizeObserver(function () { update(wrap); }).observe(wrap);
      }
    });
  }

  scan(document);
  document.addEventListener("htmx:afterSwap", function (event) { scan(event.target); });
})();
