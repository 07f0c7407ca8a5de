// The package upload page, enhanced: send the zip with a progress bar, then show the validation
// report without leaving the page. Without script the form posts normally and the server renders
// the same report. Text goes in with textContent only: course titles are untrusted.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var progress = document.getElementById("upload-progress");
  var bar = document.getElementById("upload-bar");
  var percent = document.getElementById("upload-percent");
  var label = document.getElementById("upload-label");
  var result = document.getElementById("upload-result");
  var button = form.querySelector("button[type=submit]");

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showProgress(value, text) {
    progress.hidden = false;
    bar.value = value;
    percent.textContent = value + "%";
    label.textContent = text;
  }

  function renderReport(body) {
    var report = body.report;
    var box = element("div", "app-report");
    box.id = "report";
    box.tabIndex = -1;
    if (report.ok) {
      var card = element("div", "nhsuk-card nhsuk-card--feature app-report__ok");
      var content = element("div", "nhsuk-card__content");
      content.appendChild(element("h2", "nhsuk-card__heading", "Imported: " + body.course.code + ", version " + body.course.version));
      var line = element(
        "p",
        "nhsuk-card__description",
        (body.course.version > 1 ? "A new version of an existing course: learners who have started keep their version. " : "A new course. ") +
          "SCORM " + report.scormVersion + ", " + body.course.contents + ". "
      );
      var link = element("a", "", "View the course");
      link.href = body.course.url;
      line.appendChild(link);
      content.appendChild(line);
      card.appendChild(content);
      box.appendChild(card);
    } else {
      var summary = element("div", "nhsuk-error-summary");
      summary.setAttribute("role", "alert");
      summary.appendChild(element("h2", "nhsuk-error-summary__title", "The package was not imported"));
      var errors = element("ul", "nhsuk-list nhsuk-error-summary__list");
      report.errors.forEach(function (error) {
        var where = [error.file, error.element].filter(Boolean).join(" ");
        var item = element("li", "", error.message + (where ? " (" + where + ")" : "") + " ");
        item.appendChild(element("span", "app-code", "(" + error.code + ")"));
        errors.appendChild(item);
      });
      summary.appendChild(errors);
      box.appendChild(summary);
    }
    if (report.warnings.length) {
      box.appendChild(element("h2", "", "Warnings"));
      var warnings = element("ul", "nhsuk-list nhsuk-list--bullet");
      report.warnings.forEach(function (warning) {
        var where = [warning.file, warning.element].filter(Boolean).join(" ");
        warnings.appendChild(element("li", "", warning.message + (where ? " (" + where + ")" : "")));
      });
      box.appendChild(warnings);
    } else if (report.ok) {
      box.appendChild(element("p", "", "No warnings."));
    }
    result.replaceChildren(box);
    box.focus();
  }

  function renderFailure(message) {
    renderReport({ report: { ok: false, errors: [{ code: "upload", message: message }], warnings: [] } });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    request.setRequestHeader("X-CSRF-Token", form.getAttribute("data-csrf"));
    request.upload.addEventListener("progress", function (progressEvent) {
      if (progressEvent.lengthComputable) showProgress(Math.floor((progressEvent.loaded / progressEvent.total) * 100), "Uploading");
    });
    request.upload.addEventListener("load", function () {
      showProgress(100, "Checking the package");
    });
    request.addEventListener("load", function () {
      button.disabled = false;
      var body;
      try {
        body = JSON.parse(request.responseText);
      } catch (error) {
        renderFailure("The server answered unexpectedly (status " + request.status + "). Try again.");
        return;
      }
      if (body.report) renderReport(body);
      else renderFailure(body.error ? body.error.message : "The upload failed (status " + request.status + ").");
      label.textContent = body.report && body.report.ok ? "Done" : "Not imported";
    });
    request.addEventListener("error", function () {
      button.disabled = false;
      renderFailure("The upload was interrupted. Check your connection and try again.");
    });
    button.disabled = true;
    result.replaceChildren();
    showProgress(0, "Uploading");
    request.send(new FormData(form));
  });
})();
