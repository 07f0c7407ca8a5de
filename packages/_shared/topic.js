/*
 * topic.js: one SCO of a multi-SCO SCORM 2004 course, a single page of reading.
 *
 * The page holds the words, a [data-mark-read] button at the end of the
 * content and navigation buttons [data-nav="continue" | "previous"]. The topic
 * is completed (cmi.completion_status, cmi.progress_measure 1) when the learner
 * reaches the end and marks it as read. Navigation buttons end this SCO with
 * that adl.nav.request so the LMS's sequencer delivers the next one. The LMS's
 * own Home suspends the whole course so the learner can resume it later.
 */
(function (global) {
  'use strict';

  var doc = global.document;

  function start() {
    var markButton = doc.querySelector('[data-mark-read]');
    var tick = doc.querySelector('[data-tick]');
    var status = doc.querySelector('[data-topic-status]');
    var shell = global.CourseShell.boot();
    var session = shell.session;

    function showCompleted() {
      if (markButton) markButton.hidden = true;
      if (tick) tick.hidden = false;
      if (status) status.textContent = 'You have read this topic. It is recorded as complete.';
    }

    if (session.isCompleted()) {
      showCompleted();
    } else {
      session.markIncomplete();
      session.setProgress(0);
      session.commit();
    }

    if (markButton) {
      markButton.addEventListener('click', function () {
        session.markCompleted();
        session.setProgress(1);
        session.setLocation('end');
        session.commit();
        showCompleted();
        shell.announce('Topic marked as read.');
        var next = doc.querySelector('[data-nav="continue"]');
        if (next) next.focus();
      });
    }

    var navButtons = doc.querySelectorAll('[data-nav]');
    for (var i = 0; i < navButtons.length; i += 1) {
      navButtons[i].addEventListener('click', function (event) {
        shell.leave(event.currentTarget.getAttribute('data-nav'));
      });
    }
  }

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
  else start();
})(window);
