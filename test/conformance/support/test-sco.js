// The conformance suite's scripted test SCO (test/conformance/support/runner.ts). Every fixture
// package carries this file; each SCO page loads it with <body data-sco="ITEM" data-api="API"> (or
// "API_1484_11"). It finds the API as real content does (the window's parents, then its opener's),
// asks the test for this launch's script, runs the steps one after another, synchronously (only a
// `wait` step yields), and reports each answer with GetLastError, then a final { done } report.
// It reaches the test by POSTing to its own origin (/__test/conformance/*, the test's hook on the
// content server; see launches.ts for why not Playwright bindings). Plain ES2017: it runs as
// delivered, in the SCO's frame on the content origin, never bundled.
(function () {
  "use strict";
  var body = document.body;
  var popupOf = body.getAttribute("data-popup") !== null ? readOpener() : null;
  var apiName = body.getAttribute("data-api") || "API";
  var v12 = apiName === "API";
  var names = {
    getLastError: v12 ? "LMSGetLastError" : "GetLastError",
    getErrorString: v12 ? "LMSGetErrorString" : "GetErrorString",
    getDiagnostic: v12 ? "LMSGetDiagnostic" : "GetDiagnostic",
  };
  var api = null;

  function readOpener() {
    try {
      return window.opener && window.opener.conformancePopup ? window.opener.conformancePopup : null;
    } catch (error) {
      return null;
    }
  }

  // The discovery algorithm of ADL's API wrappers (SCORM 1.2 RTE 3.3.6.1, 2004 RTE 3.1.2.1): this
  // window and its parents, then the opener and its parents. A window of another origin throws on
  // reading a property: it cannot hold the SCO's API anyway.
  function searchFrom(win) {
    for (var tries = 0; win && tries < 500; tries++) {
      try {
        if (win[apiName]) return win[apiName];
      } catch (error) {
        // cross-origin
      }
      if (!win.parent || win.parent === win) return null;
      win = win.parent;
    }
    return null;
  }

  function findApi() {
    var found = searchFrom(window);
    if (!found && window.opener) found = searchFrom(window.opener);
    if (!found && window.top && window.top.opener) found = searchFrom(window.top.opener);
    if (!found) throw new Error("no " + apiName + " in this window's parents or its opener's");
    return found;
  }

  function start(sco, launch, steps, prefix, doneAs) {
    var vars = {};
    function report(entry) {
      entry.sco = sco;
      entry.launch = launch;
      window.conformanceReport(entry);
    }
    function substitute(text) {
      return String(text).replace(/\$\{(\w+)\}/g, function (whole, name) {
        return Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole;
      });
    }
    function call(step, path) {
      if (!api) api = findApi();
      var args = step.args.map(substitute);
      var result = String(api[step.call].apply(api, args));
      var entry = { path: path, call: step.call, args: args, result: result, error: String(api[names.getLastError]()) };
      if (step.diagnostics) {
        entry.errorString = String(api[names.getErrorString](entry.error));
        entry.diagnostic = String(api[names.getDiagnostic](entry.error));
      }
      if (step.save) vars[step.save] = result;
      entry.vars = JSON.parse(JSON.stringify(vars));
      report(entry);
    }
    // Runs steps from `from`; returns a promise only when a wait step makes it yield.
    function run(list, base, from) {
      for (var index = from; index < list.length; index++) {
        var step = list[index];
        var path = base === "" ? String(index) : base + "." + index;
        if (step.wait !== undefined) {
          return new Promise(function (resolve) { window.setTimeout(resolve, step.wait); }).then(run.bind(null, list, base, index + 1));
        }
        if (step.repeat !== undefined) {
          for (var i = 0; i < step.repeat; i++) {
            vars[step.as] = i;
            run(step.steps, path + "." + i, 0);
          }
        } else if (step.onUnload !== undefined) {
          var unloadSteps = step.onUnload;
          var unloadPath = path;
          window.addEventListener(step.event || "pagehide", function () {
            try {
              run(unloadSteps, unloadPath, 0);
              report({ done: "unload" });
            } catch (error) {
              report({ done: "unload", failure: String(error) });
            }
          });
        } else if (step.popup !== undefined) {
          window.conformancePopup = { sco: sco, launch: launch, steps: step.popup, prefix: path };
          // null: the new window was blocked, or opened cut off from this one (no opener).
          if (!window.open("popup.html", "conformance-popup")) throw new Error("window.open answered null: the new window is blocked or has no opener");
        } else {
          call(step, path);
        }
      }
      return null;
    }
    Promise.resolve()
      .then(function () { return run(steps, prefix, 0); })
      .then(
        function () { report({ done: doneAs }); },
        function (error) { report({ done: doneAs, failure: String(error && error.stack || error) }); },
      )
      .then(function () { if (doneAs === "popup") window.close(); });
  }

  // The test knows the attempt by the content token in this page's path (/c/<version>.<attempt>.…/).
  // Reports go synchronously, so that each has arrived before the SCO's next call and none is lost
  // to the page going away; from pagehide on, where Chromium refuses synchronous requests, as
  // keepalive requests, which outlive the page. Each carries its place in this window's order, and
  // the test puts them back in it.
  var attempt = Number((/\/c\/\d+\.(\d+)\./.exec(window.location.pathname) || [])[1]);
  var windowId = String(Math.random()).slice(2) + "." + Date.now();
  var sent = 0;
  var leaving = false;
  window.addEventListener("pagehide", function () { leaving = true; });
  function post(hook, text) {
    return fetch("/__test/conformance/" + hook, { method: "POST", keepalive: true, headers: { "Content-Type": "application/json" }, body: text });
  }
  window.conformanceScript = function (request) {
    return post("script", JSON.stringify({ attempt: attempt, request: request })).then(function (response) { return response.json(); });
  };
  window.conformanceReport = function (entry) {
    var text = JSON.stringify({ attempt: attempt, window: windowId, seq: ++sent, entry: entry });
    if (!leaving) {
      try {
        var request = new XMLHttpRequest();
        request.open("POST", "/__test/conformance/report", false);
        request.setRequestHeader("Content-Type", "application/json");
        request.send(text);
        return;
      } catch (error) {
        // Refused (the page is going away after all): as a keepalive request, below.
      }
    }
    post("report", text);
  };
  run();

  function run() {
    if (popupOf) {
      start(popupOf.sco, popupOf.launch, popupOf.steps, popupOf.prefix, "popup");
      return;
    }
    if (body.getAttribute("data-popup") !== null) {
      // Opened as a popup, but cut off from the window that opened it: it can find no API either.
      window.conformanceReport({ popupWithoutOpener: true, opener: window.opener === null ? "null" : "not readable" });
      return;
    }
    var sco = new URLSearchParams(window.location.search).get("conformance-sco") || body.getAttribute("data-sco");
    window.conformanceScript({ sco: sco, url: window.location.href }).then(function (script) {
      start(sco, script.launch, script.steps, "", "main");
    });
  }
})();
