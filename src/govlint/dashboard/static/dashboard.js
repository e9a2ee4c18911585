// Draws each chart of the dashboard from the JSON beside it. The figures are data, parsed
// with JSON.parse, never evaluated. When every chart is drawn, the page records how long it
// took in window.govlintDashboard (the browser test reads it).
(function () {
  "use strict";
  var started = performance.now();
  var charts = document.querySelectorAll("div.chart[data-figure]");
  var drawn = [];
  var config = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud"]};
  for (var i = 0; i < charts.length; i++) {
    var holder = charts[i];
    var source = document.getElementById(holder.getAttribute("data-figure"));
    var figure = JSON.parse(source.textContent);
    drawn.push(Plotly.newPlot(holder, figure.data || [], figure.layout || {}, config));
  }
  Promise.all(drawn).then(function () {
    // performance.now() counts from navigation start: loadMs is what a reader waits.
    window.govlintDashboard = {
      charts: charts.length, drawMs: performance.now() - started, loadMs: performance.now()
    };
    document.body.setAttribute("data-rendered", "true");
  });
})();
