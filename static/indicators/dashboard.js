/* Trend charts for the indicator pages. Data comes from the json_script block
   #indicator-charts; every chart has a data table next to it for screen readers. */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("indicator-charts");
    if (!source || typeof window.Chart === "undefined") { return; }
    var charts = JSON.parse(source.textContent);
    charts.forEach(function (c) {
      var canvas = document.getElementById(c.id);
      if (!canvas || !c.labels.length) { return; }
      var datasets = [{ label: c.label, data: c.values, borderColor: "#1a4fa0", backgroundColor: "#1a4fa0", tension: 0.2 }];
      if (c.target !== null && !c.run_rate) {
        datasets.push({ label: "Streefwaarde", data: c.labels.map(function () { return c.target; }), borderColor: "#a0001e", borderDash: [6, 4], pointRadius: 0 });
      }
      new window.Chart(canvas, {
        type: c.run_rate ? "bar" : "line",
        data: { labels: c.labels, datasets: datasets },
        options: { animation: false, responsive: true, plugins: { legend: { display: datasets.length > 1 } }, scales: { y: { beginAtZero: true } } }
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
