// The malicious SCO of test/security/malicious-sco.test.ts: a real package's script, run as
// delivered in the SCO's frame on the content origin, trying what hostile course content would try
// against the learner's LMS session. It knows what an attacker could learn: the LMS origin (the
// launcher's page says it), its attempt (in its content token), and, as the worst case, whatever
// the test put in targets.js. Each probe returns what it got; the test judges. Plain ES2017.
(function () {
  "use strict";
  var launcher = window.parent; // the content origin's launcher: same origin, by design
  var lmsOrigin = launcher.document.body.dataset.lmsOrigin;
  // /c/<courseVersion>.<attempt>.<expiry>.<signature>/<file>
  var token = location.pathname.split("/")[2];
  var packageRoot = location.origin + "/c/" + token + "/";
  var targets = window.PROBE_TARGETS;
  var otherAttempt = lmsOrigin + "/runtime/attempts/" + targets.otherAttempt.id;

  function attempt(action) {
    try {
      return { got: String(action()) };
    } catch (error) {
      return { refused: error.name };
    }
  }

  // What a click on the page's buttons did (a real click: the user activation a popup or a
  // framebusting navigation needs).
  var clicked = {};
  document.getElementById("frame-bust").addEventListener("click", function () {
    clicked.assign = attempt(function () {
      top.location.href = packageRoot + "phishing.html";
      return "assigned";
    });
    clicked.open = attempt(function () {
      return window.open(packageRoot + "phishing.html", "_top") === null ? "no window" : "a window";
    });
  });
  document.getElementById("ride-session").addEventListener("click", function () {
    // A top-level GET in a window of its own: the one request that carries a SameSite=Lax cookie.
    clicked.ride = window.open(otherAttempt + "/scos/" + targets.otherAttempt.sco + "/state", "_blank") ? "opened" : "blocked";
  });

  function read(url, init) {
    return fetch(url, Object.assign({ credentials: "include" }, init)).then(
      function (response) {
        return response.text().then(function (text) {
          return "read " + response.status + ": " + text.slice(0, 100);
        });
      },
      function (error) {
        return "blocked (" + error.name + ")";
      },
    );
  }

  window.maliciousSco = {
    clicked: clicked,

    cookies: function () {
      var seen = document.cookie;
      // Cookie tossing: a cookie for the LMS's host, to shadow or fixate its session.
      document.cookie = "planted=by-sco; path=/; domain=" + new URL(lmsOrigin).hostname;
      return { seen: seen, afterPlanting: document.cookie };
    },

    windows: function () {
      return {
        launcher: attempt(function () {
          return launcher.location.origin;
        }),
        playerDocument: attempt(function () {
          return launcher.parent.document.title;
        }),
        topDocument: attempt(function () {
          return top.document.title;
        }),
        topLocation: attempt(function () {
          return top.location.href;
        }),
        playerApi: attempt(function () {
          return typeof top.API;
        }),
        portalDocument: attempt(function () {
          return top.opener.document.title;
        }),
      };
    },

    /** Reads from the LMS as the learner: CORS must keep every answer from the SCO. */
    lmsAnswers: function () {
      var json = function (body) {
        return { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
      };
      return Promise.all([
        read(otherAttempt + "/scos/" + targets.otherAttempt.sco + "/state"),
        read(otherAttempt + "/scos/" + targets.otherAttempt.sco + "/commit", json(targets.forgedCommit)),
        read(otherAttempt + "/sequencing-state", json(targets.forgedSequencingState)),
        read(lmsOrigin + "/"),
      ]).then(function (answers) {
        return { state: answers[0], commit: answers[1], sequencingState: answers[2], portal: answers[3] };
      });
    },

    /**
     * Writes as the learner, as simple requests (text/plain, the form sendBeacon sends): no
     * preflight, so they reach the server. Their answers are opaque, or a network error where the
     * browser blocks a JSON answer to a no-cors request (ORB); either way they come once answered.
     */
    forgedWrites: function () {
      var send = function (url, body) {
        var init = { method: "POST", mode: "no-cors", credentials: "include", keepalive: true, headers: { "Content-Type": "text/plain" }, body: JSON.stringify(body) };
        return fetch(url, init).then(
          function () {
            return "opaque";
          },
          function (error) {
            return "blocked (" + error.name + ")";
          },
        );
      };
      return Promise.all([
        send(otherAttempt + "/scos/" + targets.otherAttempt.sco + "/commit", targets.forgedCommit),
        send(otherAttempt + "/sequencing-state", targets.forgedSequencingState),
      ]);
    },

    /**
     * Forges the launcher's relay of API calls for scoId: once from this frame, once from the
     * launcher's own window (a script of this package, which the launcher's policy allows, run
     * there). Then sets its own bookmark through its API and commits: relayed after the forgery.
     */
    forgeApiCalls: function (scoId, mark, bookmark) {
      var forged = {
        protocol: "lms-player/2",
        type: "api-calls",
        scoId: scoId,
        calls: [
          { method: "LMSInitialize", args: [""] },
          { method: "LMSSetValue", args: ["cmi.core.lesson_status", "passed"] },
          { method: "LMSSetValue", args: ["cmi.suspend_data", mark] },
          { method: "LMSCommit", args: [""] },
        ],
      };
      top.postMessage(forged, lmsOrigin);
      return new Promise(function (resolve, reject) {
        var script = launcher.document.createElement("script");
        script.src = packageRoot + "launcher-forgery.js";
        script.dataset.message = JSON.stringify(forged);
        script.onload = resolve;
        script.onerror = reject;
        launcher.document.body.append(script);
      }).then(function () {
        var api = launcher.API;
        api.LMSInitialize("");
        return [api.LMSSetValue("cmi.core.lesson_location", bookmark), api.LMSCommit("")];
      });
    },

    /** Fetches each path under this package's root (or a whole URL): status and text. */
    files: function (paths) {
      return Promise.all(
        paths.map(function (item) {
          var url = /^https?:/.test(item) ? item : packageRoot + item;
          return fetch(url).then(function (response) {
            return response.text().then(function (text) {
              return { path: item, status: response.status, text: text.slice(0, 300) };
            });
          });
        }),
      );
    },

    token: token,
  };
})();
