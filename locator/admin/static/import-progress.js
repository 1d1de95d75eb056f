// The import run page: ask for the run's progress each second and show it; reload the page
// when the job has finished (it then shows the result). Without JavaScript a meta refresh
// in a <noscript> reloads the page instead.
(function () {
  "use strict";
  var section = document.querySelector("[data-progress-url]");
  if (!section) { return; }
  var url = section.getAttribute("data-progress-url");
  var phase = document.getElementById("progress-phase");
  var bar = document.getElementById("progress-bar");
  var rows = document.getElementById("progress-rows");
  var rate = document.getElementById("progress-rate");
  var status = document.getElementById("run-status");

  function show(p) {
    if (!p.working) { window.location.reload(); return; }
    phase.textContent = p.phase;
    if (status) { status.textContent = p.status; }
    if (p.rows_total) { bar.max = p.rows_total; bar.value = p.rows_done; }
    rows.textContent = p.rows_done + (p.rows_total ? " of " + p.rows_total : "") + " rows";
    rate.textContent = p.rate ? p.rate + " rows a second" +
      (p.seconds_left !== null ? ", about " + p.seconds_left + " s left" : "") : "";
    window.setTimeout(poll, 1000);
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(show)
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
