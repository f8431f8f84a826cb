// Every file input gets a "Chọn tệp" button in the page's language and the names of the files chosen, instead of
// the browser's own "Choose Files" (issue 12 item 14). The words are translated in base.html and read from this
// script tag's data attributes; no inline script (the Content-Security-Policy forbids it). Without JavaScript the
// browser's own control stays.
(function () {
  var texts = (document.currentScript && document.currentScript.dataset) || {};
  var counter = 0;

  function enhance(input) {
    if (input.dataset.filePick) { return; }
    input.dataset.filePick = "1";
    if (!input.id) { counter += 1; input.id = "file-input-" + counter; }
    var box = document.createElement("span");
    box.className = "file-pick";
    input.parentNode.insertBefore(box, input);
    box.appendChild(input);
    var button = document.createElement("label");  // a label: a click opens the input's own file dialog
    button.className = "button secondary file-button";
    button.htmlFor = input.id;
    button.textContent = texts.choose || "Chọn tệp";
    button.setAttribute("aria-hidden", "true");  // the input keeps its own label; this is what the eye sees
    var names = document.createElement("span");
    names.className = "file-names";
    names.id = input.id + "-chosen";
    box.appendChild(button);
    box.appendChild(names);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + names.id);
    function show() {
      var chosen = Array.prototype.map.call(input.files || [], function (file) { return file.name; });
      names.textContent = chosen.length ? chosen.join(", ") : (texts.none || "");
    }
    input.addEventListener("change", show);
    show();
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call(root.querySelectorAll("input[type=file]"), enhance);
  }

  enhanceAll(document);
  document.addEventListener("htmx:afterSwap", function (event) { enhanceAll(event.target); });
})();
