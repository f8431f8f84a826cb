/* Draws a Chart.js chart above each <table data-chart="bar|line"> from the table itself: the row headers are the
   labels, each column whose header has data-series is a series, and each cell's data-value is the number.
   The table stays on the page (visible or in a <details>): it is the accessible version of the chart. */
(function () {
  "use strict";
  var COLOURS = ["#0b4f9c", "#1d6b34", "#a3161a", "#8a5300", "#5b3f8c", "#2b7a78"];

  function read(table) {
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var series = [];
    heads.forEach(function (th, index) {
      if (th.hasAttribute("data-series")) { series.push({ index: index, label: th.textContent.trim(), data: [] }); }
    });
    var labels = [];
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (tr) {
      var header = tr.querySelector("th");
      if (!header) { return; }
      labels.push(header.textContent.trim().replace(/\s+/g, " "));
      var cells = tr.children;
      series.forEach(function (s) {
        var cell = cells[s.index];
        var raw = cell ? cell.getAttribute("data-value") : null;
        s.data.push(raw === null || raw === "" ? null : Number(raw));
      });
    });
    return { labels: labels, series: series };
  }

  function draw(table) {
    if (typeof window.Chart === "undefined") { return; }
    var data = read(table);
    if (!data.labels.length || !data.series.length) { return; }
    var kind = table.getAttribute("data-chart") === "line" ? "line" : "bar";
    var holder = table.closest("figure") || table.parentNode;
    var caption = holder.querySelector("figcaption");
    var box = document.createElement("div");
    box.className = "chart-box";
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", (caption ? caption.textContent.trim() + ". " : "") +
      (document.documentElement.lang === "en" ? "The figures are in the table below." : "Số liệu có trong bảng bên dưới."));
    box.appendChild(canvas);
    if (caption && caption.parentNode === holder) { caption.insertAdjacentElement("afterend", box); }
    else { holder.insertBefore(box, holder.firstChild); }
    new window.Chart(canvas, {
      type: kind,
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s, i) {
          var colour = COLOURS[i % COLOURS.length];
          return { label: s.label, data: s.data, backgroundColor: colour, borderColor: colour, spanGaps: true };
        })
      },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
                 scales: { y: { beginAtZero: true } } }
    });
    table.setAttribute("data-chart-drawn", "true");
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-chart]"), draw);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
