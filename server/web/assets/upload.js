// The package upload page, enhanced: send the zip with a progress bar, then show the validation
// report without leaving the page. Without script the form posts normally and the server renders
// the same report. Text goes in with textContent only: course titles are untrusted.
// A refused package turns the bar red with the message beside it, and the report's error summary
// (each problem linked to the file field) takes the focus. A package the course already has is
// not imported yet: the bar turns to a question (not a green 100%), and the author is asked in the
// same form the server renders (same-package.ejs); "Yes" submits it, and the script sends the file
// already chosen with newVersionAnyway=yes instead of asking for it again. A finding's code
// (package.truncated ...) is not shown: only the words.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var progress = document.getElementById("upload-progress");
  var bar = document.getElementById("upload-bar");
  var percent = document.getElementById("upload-percent");
  var label = document.getElementById("upload-label");
  var failure = document.getElementById("upload-failure");
  var result = document.getElementById("upload-result");
  var fileInput = document.getElementById("package");
  var button = form.querySelector("button[type=submit]");

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showProgress(value, text) {
    progress.hidden = false;
    progress.classList.remove("app-progress--failed", "app-progress--done", "app-progress--asked");
    failure.hidden = true;
    bar.value = value;
    percent.textContent = value + "%";
    label.textContent = text;
  }

  /** The bar says it failed: red, "Not imported", and the first problem's message beside it. */
  function showFailed(message, count) {
    progress.hidden = false;
    progress.classList.add("app-progress--failed");
    label.textContent = "Not imported";
    percent.textContent = "Failed";
    failure.hidden = false;
    failure.replaceChildren(element("span", "nhsuk-u-visually-hidden", "Error: "));
    failure.appendChild(document.createTextNode(message + (count > 1 ? " (and " + (count - 1) + " more, listed above)" : "")));
  }

  function showDone(text) {
    progress.classList.add("app-progress--done");
    label.textContent = text;
  }

  function findingText(finding) {
    var where = [finding.file, finding.element].filter(Boolean).join(" ");
    return finding.message + (where ? " (" + where + ")" : "");
  }

  function renderReport(body) {
    var report = body.report;
    var box = element("div", "app-report");
    box.id = "report";
    box.tabIndex = -1;
    var focus = box;
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
      // The NHS error summary, as the server renders it: each problem links to the file field.
      var summary = element("div", "nhsuk-error-summary");
      summary.setAttribute("role", "alert");
      summary.setAttribute("aria-labelledby", "report-errors");
      summary.tabIndex = -1;
      var title = element("h2", "nhsuk-error-summary__title", "The package was not imported");
      title.id = "report-errors";
      summary.appendChild(title);
      var body_ = element("div", "nhsuk-error-summary__body");
      var errors = element("ul", "nhsuk-list nhsuk-error-summary__list");
      report.errors.forEach(function (error) {
        var item = element("li");
        var to = element("a", "", findingText(error));
        to.href = "#package";
        item.appendChild(to);
        errors.appendChild(item);
      });
      body_.appendChild(errors);
      summary.appendChild(body_);
      box.appendChild(summary);
      focus = summary;
    }
    if (report.warnings.length) {
      box.appendChild(element("h2", "", "Warnings"));
      var warnings = element("ul", "nhsuk-list nhsuk-list--bullet");
      report.warnings.forEach(function (warning) {
        warnings.appendChild(element("li", "", findingText(warning)));
      });
      box.appendChild(warnings);
    } else if (report.ok) {
      box.appendChild(element("p", "", "No warnings."));
    }
    result.replaceChildren(box);
    markFileField(report.ok ? undefined : findingText(report.errors[0] || { message: "The package was not imported" }));
    focus.focus();
  }

  /** The message beside the file field, and its red border, as the error pattern asks. */
  function markFileField(message) {
    var group = form.querySelector("[data-field=package]");
    var old = document.getElementById("package-error");
    if (old) old.remove();
    group.classList.toggle("nhsuk-form-group--error", Boolean(message));
    fileInput.classList.toggle("nhsuk-file-upload--error", Boolean(message));
    if (!message) {
      fileInput.removeAttribute("aria-describedby");
      return;
    }
    var note = element("span", "nhsuk-error-message");
    note.id = "package-error";
    note.appendChild(element("span", "nhsuk-u-visually-hidden", "Error:"));
    note.appendChild(document.createTextNode(" " + message));
    group.insertBefore(note, fileInput);
    fileInput.setAttribute("aria-describedby", "package-error");
  }

  function renderFailure(message) {
    renderReport({ report: { ok: false, errors: [{ message: message }], warnings: [] } });
    showFailed(message, 1);
  }

  /** The bar waits for the author's answer: neither a failure nor a success. */
  function showAsked(text) {
    progress.hidden = false;
    progress.classList.remove("app-progress--failed", "app-progress--done");
    progress.classList.add("app-progress--asked");
    failure.hidden = true;
    label.textContent = text;
    percent.textContent = "Waiting for your answer";
  }

  function hidden(name, value) {
    var input = element("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    return input;
  }

  /** "This is the same package as version N, imported on ...": nothing imported, the author asked. */
  function renderSamePackage(same) {
    var box = element("div", "nhsuk-warning-callout app-same-package");
    box.id = "report";
    box.tabIndex = -1;
    box.setAttribute("data-same-package", "");
    var heading = element("h2", "nhsuk-warning-callout__label");
    var inner = element("span");
    inner.setAttribute("role", "text");
    inner.appendChild(element("span", "nhsuk-u-visually-hidden", "Important: "));
    inner.appendChild(document.createTextNode("Not imported yet"));
    heading.appendChild(inner);
    box.appendChild(heading);
    box.appendChild(element("p", "", same.message + ". Nothing was imported."));
    box.appendChild(element("p", "", "Do you want to import it again as a new version anyway? Learners would see no difference."));
    // The server's form, field for field; its file field stays hidden while the file chosen above is
    // there to send again.
    var again = element("form");
    again.method = "post";
    again.action = form.action;
    again.enctype = "multipart/form-data";
    again.noValidate = true;
    again.setAttribute("data-same-package-form", "");
    again.appendChild(hidden("_csrf", form.getAttribute("data-csrf")));
    again.appendChild(hidden("newVersionAnyway", "yes"));
    again.appendChild(hidden("code", form.elements.code ? form.elements.code.value : ""));
    var choose = element("div", "nhsuk-form-group");
    choose.setAttribute("data-choose-again", "");
    var chooseLabel = element("label", "nhsuk-label", "Choose the same package again");
    chooseLabel.htmlFor = "package-again";
    var chooseInput = element("input", "nhsuk-file-upload");
    chooseInput.type = "file";
    chooseInput.id = "package-again";
    chooseInput.name = "package";
    chooseInput.accept = ".zip,application/zip";
    choose.appendChild(chooseLabel);
    choose.appendChild(chooseInput);
    choose.hidden = Boolean(fileInput.files && fileInput.files.length);
    again.appendChild(choose);
    var group = element("div", "nhsuk-button-group");
    var yes = element("button", "nhsuk-button nhsuk-button--secondary", "Yes, import it as a new version");
    yes.type = "submit";
    yes.setAttribute("data-new-version-anyway", "");
    var no = element("a", "nhsuk-link", "No, keep version " + same.version);
    no.href = same.url;
    group.appendChild(yes);
    group.appendChild(no);
    again.appendChild(group);
    again.addEventListener("submit", function (event) {
      // The file chosen above is still there: send it again. Otherwise the form posts as without script.
      if (!fileInput.files || !fileInput.files.length) return;
      event.preventDefault();
      send(true);
    });
    box.appendChild(again);
    result.replaceChildren(box);
    markFileField(undefined);
    showAsked("Not imported yet: this is the same package as version " + same.version);
    box.focus();
  }

  function send(anyway) {
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
      if (body.samePackage) return renderSamePackage(body.samePackage);
      if (!body.report) return renderFailure(body.error ? body.error.message : "The upload failed (status " + request.status + ").");
      renderReport(body);
      if (body.report.ok) showDone("Done");
      else showFailed(findingText(body.report.errors[0]), body.report.errors.length);
    });
    request.addEventListener("error", function () {
      button.disabled = false;
      renderFailure("The upload was interrupted. Check your connection and try again.");
    });
    button.disabled = true;
    result.replaceChildren();
    showProgress(0, "Uploading");
    var data = new FormData(form);
    if (anyway) data.append("newVersionAnyway", "yes");
    request.send(data);
  }

  form.addEventListener("submit", function (event) {
    // No file chosen: the form posts as it would without script, and the server answers with
    // the error pattern (the summary linked to the field, the message beside it).
    if (!fileInput.files || !fileInput.files.length) return;
    event.preventDefault();
    send(false);
  });
})();
