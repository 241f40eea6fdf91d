/* The "gap" chart: budget expressed as households against the actual number of households per
   month. Data from the json_script block #budget-gap-data; a data table sits below the chart. */
(function () {
  "use strict";
  var months = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];
  function draw() {
    var source = document.getElementById("budget-gap-data");
    var canvas = document.getElementById("budget-gap-chart");
    if (!source || !canvas || typeof window.Chart === "undefined") { return; }
    var rows = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: rows.map(function (r) { return months[r.month - 1]; }),
        datasets: [
          { label: "Budget in huishoudens", data: rows.map(function (r) { return r.budget_households === null ? null : Number(r.budget_households); }), borderColor: "#a0001e", borderDash: [6, 4], pointRadius: 0 },
          { label: "Werkelijk aantal huishoudens", data: rows.map(function (r) { return r.households; }), borderColor: "#1a4fa0", backgroundColor: "#1a4fa0", tension: 0.2 }
        ]
      },
      options: { animation: false, responsive: true, scales: { y: { beginAtZero: false } } }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
