// Progressive enhancement only: every page works without it.
// 1. A run's page follows the job's progress and opens the assessment when it is done.
// 2. The deal editor checks the text against the schema as the lawyer types (nothing is saved).
(function () {
  "use strict";
  function text(id, value) { var el = document.getElementById(id); if (el) { el.textContent = value; } }

  var job = document.getElementById("job");
  if (job) {
    var poll = function () {
      fetch(job.dataset.poll, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (j) {
        text("job-status", j.status);
        text("job-stage", j.stage);
        var bar = document.getElementById("job-progress");
        bar.max = Math.max(j.total, 1); bar.value = j.done;
        text("job-paths", j.done.toLocaleString() + " of " + j.total.toLocaleString() + " paths");
        if (j.status === "done" && j.assessment_id) {
          window.location = "/matters/" + job.dataset.matter + "/assessments/" + j.assessment_id;
        } else if (j.status === "failed") {
          var p = document.createElement("p"); p.className = "error"; p.setAttribute("role", "alert");
          p.id = "job-error"; p.textContent = j.error; job.appendChild(p);
        } else { setTimeout(poll, 500); }
      }).catch(function () { setTimeout(poll, 2000); });
    };
    poll();
  }

  var editor = document.getElementById("editor");
  if (editor && editor.dataset.validate) {
    var area = editor.querySelector("textarea"), timer = null;
    area.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch(editor.dataset.validate, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": editor.dataset.csrf },
          body: JSON.stringify({ text: area.value })
        }).then(function (r) { return r.json(); }).then(function (res) {
          var live = document.getElementById("live");
          live.textContent = "";
          if (res.valid) { live.textContent = "Valid: it can be assessed once saved."; live.className = "live ok"; return; }
          live.className = "live bad";
          (res.problems || []).slice(0, 20).forEach(function (p) {
            var line = document.createElement("div");
            line.textContent = (p.line ? "line " + p.line + " " : "") + (p.field ? p.field + ": " : "") + p.message;
            live.appendChild(line);
          });
        });
      }, 600);
    });
  }
})();
