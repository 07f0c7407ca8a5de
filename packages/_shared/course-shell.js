/*
 * course-shell.js: what every page of every course does the same way.
 *
 *  - starts the SCORM session (window.ScormApi) for the edition named on <body>;
 *  - shows a notice, and carries on, when no LMS API can be found;
 *  - draws no title bar or Home of its own: the LMS's player window carries the one Home
 *    (and the guide's "Click the Home icon to exit the course correctly >>>"), and leaving
 *    through it unloads this page, which finishes the session below;
 *  - finishes the session on pagehide / beforeunload if nothing else did;
 *  - after finishing, replaces the page with "You can now close this window".
 *
 * Exposes window.CourseShell = { boot(options) } returning
 * { session, connected, leave(navRequest), announce(text) }.
 */
(function (global) {
  'use strict';

  var doc = global.document;

  function element(tag, className, text) {
    var node = doc.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function showNoLmsNotice(main) {
    var notice = element('div', 'notice notice--warning');
    notice.setAttribute('role', 'note');
    notice.setAttribute('data-notice', 'no-lms');
    notice.appendChild(element('h2', 'notice__title', 'Your progress will not be saved'));
    notice.appendChild(element('p', '',
      'This course could not connect to a learning management system. ' +
      'You can still read it, but nothing you do will be recorded.'));
    main.insertBefore(notice, main.firstChild);
  }

  function finishedMessage(connected, navRequest, completed) {
    if (!connected) {
      return {
        title: 'You have left the course',
        text: 'Your progress was not saved because no learning management system was found.'
      };
    }
    if (navRequest === 'continue' || navRequest === 'previous') {
      return {
        title: 'Your progress has been saved',
        text: 'The next part of the course should open shortly. If it does not, use the course menu.'
      };
    }
    return {
      title: 'You have left the course',
      text: completed
        ? 'Your progress has been saved and this course is recorded as complete.'
        : 'Your progress has been saved. You can come back and carry on where you left off.'
    };
  }

  function showFinished(main, message) {
    while (main.firstChild) main.removeChild(main.firstChild);
    var panel = element('div', 'finished');
    panel.setAttribute('data-finished', '');
    var heading = element('h1', 'finished__title', message.title);
    heading.setAttribute('tabindex', '-1');
    panel.appendChild(heading);
    panel.appendChild(element('p', '', message.text));
    panel.appendChild(element('p', 'finished__close', 'You can now close this window.'));
    main.appendChild(panel);
    heading.focus();
  }

  /**
   * options.onBeforeFinish: called just before the session ends, to save state.
   */
  function boot(options) {
    var opts = options || {};
    var version = doc.body.getAttribute('data-scorm-version') || '1.2';
    var main = doc.getElementById('main') || doc.body;
    var session = global.ScormApi.createSession(version);
    var connected = session.start();
    var left = false;
    var live = element('div', 'visually-hidden');
    live.setAttribute('aria-live', 'polite');
    live.setAttribute('data-live', '');
    doc.body.appendChild(live);

    if (!connected) showNoLmsNotice(main);

    function beforeFinish() {
      if (typeof opts.onBeforeFinish === 'function') {
        try { opts.onBeforeFinish(); } catch (err) { /* never block the exit */ }
      }
    }

    function leave(navRequest) {
      if (left) return;
      left = true;
      beforeFinish();
      var completed = session.isCompleted();
      session.finish({ navRequest: navRequest });
      showFinished(main, finishedMessage(connected, navRequest, completed));
    }

    function announce(text) {
      live.textContent = '';
      // A fresh text node after clearing makes screen readers speak repeats too.
      global.setTimeout(function () { live.textContent = text; }, 50);
    }

    // The LMS unloads this frame itself (its Home, or another SCO chosen from its
    // menu). Save and finish then, but leave navigation to the LMS.
    function onUnload() {
      if (left || session.isFinished()) return;
      left = true;
      beforeFinish();
      session.finish({ navRequest: null });
    }
    global.addEventListener('pagehide', onUnload);
    global.addEventListener('beforeunload', onUnload);

    return { session: session, connected: connected, leave: leave, announce: announce };
  }

  global.CourseShell = { boot: boot };
})(window);
