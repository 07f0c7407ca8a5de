/*
 * scorm-api.js: finds the LMS's SCORM run-time API and speaks to it in one
 * vocabulary for both SCORM 1.2 and SCORM 2004 4th Edition.
 *
 * The page says which edition it was written for (<body data-scorm-version>);
 * the manifest tells the LMS the same thing, so only that edition's API is
 * looked for. Every call is guarded: with no API, or an API that throws, the
 * course keeps working and simply saves nothing.
 *
 * Exposes window.ScormApi = { findApi, createSession, formatTimespan12,
 * formatDuration2004, formatTimestamp2004 }.
 */
(function (global) {
  'use strict';

  // ADL's API discovery sample gives up after this many parent hops.
  var MAX_PARENT_HOPS = 500;

  var EDITIONS = {
    '1.2': {
      apiName: 'API',
      initialize: 'LMSInitialize',
      terminate: 'LMSFinish',
      getValue: 'LMSGetValue',
      setValue: 'LMSSetValue',
      commit: 'LMSCommit',
      getLastError: 'LMSGetLastError',
      getErrorString: 'LMSGetErrorString'
    },
    '2004': {
      apiName: 'API_1484_11',
      initialize: 'Initialize',
      terminate: 'Terminate',
      getValue: 'GetValue',
      setValue: 'SetValue',
      commit: 'Commit',
      getLastError: 'GetLastError',
      getErrorString: 'GetErrorString'
    }
  };

  // Reading a property of a window from another origin throws; treat it as "not here".
  function readApi(win, apiName) {
    try {
      var api = win[apiName];
      return api && (typeof api === 'object' || typeof api === 'function') ? api : null;
    } catch (err) {
      return null;
    }
  }

  function parentOf(win) {
    try {
      return win.parent && win.parent !== win ? win.parent : null;
    } catch (err) {
      return null;
    }
  }

  function openerOf(win) {
    try {
      return win.opener || null;
    } catch (err) {
      return null;
    }
  }

  function searchUpwards(win, apiName) {
    for (var hops = 0; win && hops <= MAX_PARENT_HOPS; hops += 1) {
      var api = readApi(win, apiName);
      if (api) return api;
      win = parentOf(win);
    }
    return null;
  }

  /** The standard search: this window and its parents, then the opener and its parents. */
  function findApi(version, startWindow) {
    var edition = EDITIONS[version];
    if (!edition) return null;
    var win = startWindow || global;
    var api = searchUpwards(win, edition.apiName);
    if (api) return api;
    var opener = openerOf(win);
    if (opener) api = searchUpwards(opener, edition.apiName);
    if (api) return api;
    var top = null;
    try { top = win.top; } catch (err) { top = null; }
    var topOpener = top && top !== win ? openerOf(top) : null;
    return topOpener && topOpener !== opener ? searchUpwards(topOpener, edition.apiName) : null;
  }

  function pad(value, width) {
    var text = String(value);
    while (text.length < width) text = '0' + text;
    return text;
  }

  /** SCORM 1.2 CMITimespan, HHHH:MM:SS.SS (RTE 3.4.2.1). */
  function formatTimespan12(milliseconds) {
    var centiseconds = Math.max(0, Math.round(milliseconds / 10));
    var hours = Math.min(9999, Math.floor(centiseconds / 360000));
    var minutes = Math.floor(centiseconds / 6000) % 60;
    var seconds = Math.floor(centiseconds / 100) % 60;
    return pad(hours, 4) + ':' + pad(minutes, 2) + ':' + pad(seconds, 2) + '.' + pad(centiseconds % 100, 2);
  }

  /** SCORM 2004 timeinterval, an ISO 8601 duration such as PT1H2M3.45S (RTE 4.1.1.7). */
  function formatDuration2004(milliseconds) {
    var centiseconds = Math.max(0, Math.round(milliseconds / 10));
    var hours = Math.floor(centiseconds / 360000);
    var minutes = Math.floor(centiseconds / 6000) % 60;
    var seconds = (centiseconds % 6000) / 100;
    return 'PT' + hours + 'H' + minutes + 'M' + seconds + 'S';
  }

  /** SCORM 2004 time(second,10,0): local time, YYYY-MM-DDThh:mm:ss. */
  function formatTimestamp2004(date) {
    return date.getFullYear() + '-' + pad(date.getMonth() + 1, 2) + '-' + pad(date.getDate(), 2) +
      'T' + pad(date.getHours(), 2) + ':' + pad(date.getMinutes(), 2) + ':' + pad(date.getSeconds(), 2);
  }

  /** SCORM 1.2 CMITime, HH:MM:SS. */
  function formatTime12(date) {
    return pad(date.getHours(), 2) + ':' + pad(date.getMinutes(), 2) + ':' + pad(date.getSeconds(), 2);
  }

  function isTrue(result) {
    return result === true || result === 'true';
  }

  /**
   * A learner session with one SCO. The methods below the raw calls are the
   * course engines' vocabulary; they map to the edition's element names.
   */
  function createSession(version, options) {
    var edition = EDITIONS[version];
    if (!edition) throw new Error('Unknown SCORM version: ' + version);
    var opts = options || {};
    var api = opts.api !== undefined ? opts.api : findApi(version);
    var is2004 = version === '2004';
    var state = 'new'; // new -> running -> finished
    var connected = false;
    var startedAt = Date.now();

    function report(method, detail) {
      if (!api || !global.console) return;
      var code = '';
      var text = '';
      try {
        code = String(api[edition.getLastError]());
        text = String(api[edition.getErrorString](code));
      } catch (err) {
        text = String(err);
      }
      global.console.warn('SCORM ' + method + '(' + detail + ') failed: ' + code + ' ' + text);
    }

    function call(method, args) {
      if (!api || typeof api[method] !== 'function') return '';
      try {
        return api[method].apply(api, args);
      } catch (err) {
        if (global.console) global.console.warn('SCORM ' + method + ' threw: ' + err);
        return '';
      }
    }

    function get(element) {
      if (state !== 'running') return '';
      var value = call(edition.getValue, [element]);
      return value === null || value === undefined ? '' : String(value);
    }

    function set(element, value) {
      if (state !== 'running') return false;
      var ok = isTrue(call(edition.setValue, [element, String(value)]));
      if (!ok) report(edition.setValue, element);
      return ok;
    }

    function commit() {
      if (state !== 'running') return false;
      var ok = isTrue(call(edition.commit, ['']));
      if (!ok) report(edition.commit, '');
      return ok;
    }

    // Counted here after the first look: an API that answers GetValue from a cache (such as a
    // cross-frame API) may not update _count as we append, and a stale index would overwrite.
    var interactionCount = null;
    function nextInteractionIndex() {
      if (interactionCount === null) {
        var count = parseInt(get('cmi.interactions._count'), 10);
        if (!isFinite(count)) {
          count = 0;
          while (count < 1000 && get('cmi.interactions.' + count + '.id')) count += 1;
        }
        interactionCount = count;
      }
      interactionCount += 1;
      return interactionCount - 1;
    }

    function sessionTime() {
      var elapsed = Date.now() - startedAt;
      return is2004 ? formatDuration2004(elapsed) : formatTimespan12(elapsed);
    }

    var session = {
      version: version,
      is2004: is2004,

      /** True when an API was found and Initialize succeeded. */
      isConnected: function () { return state !== 'new' && api !== null && connected; },
      isFinished: function () { return state === 'finished'; },

      start: function () {
        if (state !== 'new') return session.isConnected();
        startedAt = Date.now();
        connected = api !== null && isTrue(call(edition.initialize, ['']));
        if (api && !connected) report(edition.initialize, '');
        state = connected ? 'running' : 'finished';
        return connected;
      },

      get: get,
      set: set,
      commit: commit,

      entry: function () { return get(is2004 ? 'cmi.entry' : 'cmi.core.entry'); },
      location: function () { return get(is2004 ? 'cmi.location' : 'cmi.core.lesson_location'); },
      setLocation: function (value) { return set(is2004 ? 'cmi.location' : 'cmi.core.lesson_location', value); },
      suspendData: function () { return get('cmi.suspend_data'); },
      setSuspendData: function (value) { return set('cmi.suspend_data', value); },

      /** completed, incomplete, not attempted, unknown, passed, failed, browsed or "" */
      completionStatus: function () {
        return get(is2004 ? 'cmi.completion_status' : 'cmi.core.lesson_status');
      },
      isCompleted: function () {
        var status = session.completionStatus();
        // SCORM 1.2 has one status: passed and failed also mean the learner finished.
        return status === 'completed' || (!is2004 && (status === 'passed' || status === 'failed'));
      },
      /** Marks the SCO incomplete, unless it is already finished (status never moves backwards). */
      markIncomplete: function () {
        if (session.isCompleted()) return false;
        return set(is2004 ? 'cmi.completion_status' : 'cmi.core.lesson_status', 'incomplete');
      },
      markCompleted: function () {
        if (!is2004) {
          var status = session.completionStatus();
          if (status === 'passed' || status === 'completed') return true;
          return set('cmi.core.lesson_status', 'completed');
        }
        return set('cmi.completion_status', 'completed');
      },
      /** SCORM 2004 only: cmi.progress_measure, a ratio from 0 to 1. */
      setProgress: function (ratio) {
        if (!is2004) return false;
        var rounded = Math.round(Math.min(1, Math.max(0, ratio)) * 100) / 100;
        return set('cmi.progress_measure', rounded);
      },

      /** The pass mark as a ratio: cmi.scaled_passing_score (2004) or mastery score (1.2). */
      passingRatio: function (fallback) {
        var raw = is2004 ? get('cmi.scaled_passing_score') : get('cmi.student_data.mastery_score');
        var value = parseFloat(raw);
        if (!isFinite(value)) return fallback;
        return is2004 ? value : value / 100;
      },
      setScore: function (score) {
        var prefix = is2004 ? 'cmi.score.' : 'cmi.core.score.';
        // 1.2 requires the bounds before raw is meaningful; 2004 does not mind the order.
        set(prefix + 'min', score.min);
        set(prefix + 'max', score.max);
        set(prefix + 'raw', score.raw);
        if (is2004) set('cmi.score.scaled', score.scaled);
      },
      setSuccess: function (passed) {
        if (is2004) return set('cmi.success_status', passed ? 'passed' : 'failed');
        return set('cmi.core.lesson_status', passed ? 'passed' : 'failed');
      },
      /**
       * Appends one interaction: { id, description, learnerResponse, correctResponse, correct }.
       * SCORM 2004 RTE 4.2.9: id first, then type, before any other field of the record.
       */
      recordChoiceInteraction: function (interaction) {
        var n = nextInteractionIndex();
        var prefix = 'cmi.interactions.' + n + '.';
        set(prefix + 'id', interaction.id);
        set(prefix + 'type', 'choice');
        if (is2004) {
          set(prefix + 'description', String(interaction.description).slice(0, 250));
          set(prefix + 'learner_response', interaction.learnerResponse);
          set(prefix + 'correct_responses.0.pattern', interaction.correctResponse);
          set(prefix + 'result', interaction.correct ? 'correct' : 'incorrect');
          set(prefix + 'timestamp', formatTimestamp2004(new Date()));
        } else {
          set(prefix + 'student_response', interaction.learnerResponse);
          set(prefix + 'correct_responses.0.pattern', interaction.correctResponse);
          set(prefix + 'result', interaction.correct ? 'correct' : 'wrong');
          set(prefix + 'time', formatTime12(new Date()));
        }
        set(prefix + 'weighting', 1);
        return n;
      },

      /**
       * Ends the session properly, once: exit, session time, navigation request
       * (2004), commit, then LMSFinish / Terminate.
       * options.navRequest: a 2004 adl.nav.request; null sends none; undefined
       * means "suspendAll" while incomplete and "exitAll" once completed.
       */
      finish: function (finishOptions) {
        if (state !== 'running') return false;
        var fo = finishOptions || {};
        var completed = session.isCompleted();
        if (is2004) {
          // RTE 4.2.8: "suspend" keeps the attempt open, so the next entry is "resume".
          set('cmi.exit', completed ? 'normal' : 'suspend');
          set('cmi.session_time', sessionTime());
          var navRequest = fo.navRequest === undefined ? (completed ? 'exitAll' : 'suspendAll') : fo.navRequest;
          if (navRequest) set('adl.nav.request', navRequest);
        } else {
          set('cmi.core.exit', completed ? '' : 'suspend');
          set('cmi.core.session_time', sessionTime());
        }
        commit();
        state = 'finished';
        var ok = isTrue(call(edition.terminate, ['']));
        if (!ok) report(edition.terminate, '');
        return ok;
      }
    };
    return session;
  }

  global.ScormApi = {
    findApi: findApi,
    createSession: createSession,
    formatTimespan12: formatTimespan12,
    formatDuration2004: formatDuration2004,
    formatTimestamp2004: formatTimestamp2004
  };
})(window);
