/*
 * assessment.js: a single-SCO eAssessment of multiple-choice questions.
 *
 * The course folder's questions.js sets window.ASSESSMENT_QUESTIONS:
 *   [{ id, text, options: [{ id: "a", text }], answer: "a" }, ...]
 * The page holds the instructions, an empty <form data-assessment> with a
 * [data-questions] container and a submit button, and a hidden [data-result].
 *
 * On Submit every answer is recorded as a "choice" interaction, then the score
 * (raw as a percentage, min 0, max 100, scaled 0..1), completion "completed"
 * and success "passed" or "failed" against the pass mark: cmi.scaled_passing_score
 * when the LMS gives one, otherwise 80%. A learner who fails can try again.
 */
(function (global) {
  'use strict';

  var doc = global.document;
  var DEFAULT_PASS_RATIO = 0.8;

  function element(tag, className, text) {
    var node = doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function percent(ratio) {
    return Math.round(ratio * 100) + '%';
  }

  function start() {
    var questions = global.ASSESSMENT_QUESTIONS || [];
    var form = doc.querySelector('[data-assessment]');
    var container = form.querySelector('[data-questions]');
    var errorSummary = form.querySelector('[data-error-summary]');
    var result = doc.querySelector('[data-result]');
    var intro = doc.querySelector('[data-intro]');

    var shell = global.CourseShell.boot();
    var session = shell.session;
    var passRatio = session.passingRatio(DEFAULT_PASS_RATIO);

    var passMarks = doc.querySelectorAll('[data-pass-mark]');
    for (var i = 0; i < passMarks.length; i += 1) passMarks[i].textContent = percent(passRatio);

    function renderQuestions() {
      questions.forEach(function (question, index) {
        var fieldset = element('fieldset', 'question');
        fieldset.id = 'question-' + question.id;
        fieldset.setAttribute('data-question', question.id);
        var legend = element('legend', 'question__legend');
        legend.appendChild(element('span', 'question__number',
          'Question ' + (index + 1) + ' of ' + questions.length));
        legend.appendChild(element('span', 'question__text', question.text));
        fieldset.appendChild(legend);
        var error = element('p', 'question__error');
        error.id = 'question-' + question.id + '-error';
        error.hidden = true;
        fieldset.appendChild(error);
        question.options.forEach(function (option) {
          var inputId = 'answer-' + question.id + '-' + option.id;
          var row = element('div', 'option');
          var input = element('input', 'option__input');
          input.type = 'radio';
          input.name = question.id;
          input.id = inputId;
          input.value = option.id;
          var label = element('label', 'option__label', option.text);
          label.htmlFor = inputId;
          row.appendChild(input);
          row.appendChild(label);
          fieldset.appendChild(row);
        });
        container.appendChild(fieldset);
      });
    }

    function chosenAnswer(question) {
      var checked = form.querySelector('input[name="' + question.id + '"]:checked');
      return checked ? checked.value : '';
    }

    function showErrors(unanswered) {
      var list = errorSummary.querySelector('ul');
      list.textContent = '';
      questions.forEach(function (question, index) {
        var fieldset = doc.getElementById('question-' + question.id);
        var error = doc.getElementById('question-' + question.id + '-error');
        var missing = unanswered.indexOf(question) !== -1;
        fieldset.classList.toggle('question--error', missing);
        error.hidden = !missing;
        error.textContent = missing ? 'Select an answer to question ' + (index + 1) : '';
        // Only while shown: a description is read even when its element is hidden.
        if (missing) fieldset.setAttribute('aria-describedby', error.id);
        else fieldset.removeAttribute('aria-describedby');
        if (missing) {
          var link = element('a', '', 'Select an answer to question ' + (index + 1));
          link.href = '#answer-' + question.id + '-' + question.options[0].id;
          var item = element('li');
          item.appendChild(link);
          list.appendChild(item);
        }
      });
      errorSummary.hidden = unanswered.length === 0;
      if (unanswered.length) errorSummary.focus();
    }

    function mark() {
      return questions.map(function (question) {
        var response = chosenAnswer(question);
        return { question: question, response: response, correct: response === question.answer };
      });
    }

    function record(marked) {
      var correctCount = marked.filter(function (m) { return m.correct; }).length;
      var scaled = questions.length ? correctCount / questions.length : 0;
      // A hair of tolerance so that 4/5 meets a pass mark of 0.8 despite floating point.
      var passed = scaled >= passRatio - 1e-9;
      marked.forEach(function (m) {
        session.recordChoiceInteraction({
          id: m.question.id,
          description: m.question.text,
          learnerResponse: m.response,
          correctResponse: m.question.answer,
          correct: m.correct
        });
      });
      session.setScore({
        raw: Math.round(scaled * 100),
        min: 0,
        max: 100,
        scaled: Math.round(scaled * 10000) / 10000
      });
      // SCORM 1.2 has one status, which passed/failed already answers.
      if (session.is2004) session.markCompleted();
      session.setSuccess(passed);
      session.commit();
      return { correctCount: correctCount, scaled: scaled, passed: passed };
    }

    function showResult(marked, outcome) {
      result.textContent = '';
      result.className = 'panel result result--' + (outcome.passed ? 'passed' : 'failed');
      result.setAttribute('data-outcome', outcome.passed ? 'passed' : 'failed');
      result.setAttribute('data-score', String(Math.round(outcome.scaled * 100)));
      var title = element('h2', 'result__title', outcome.passed ? 'You have passed' : 'You have not passed');
      title.id = 'result-title';
      title.setAttribute('tabindex', '-1');
      result.appendChild(title);
      var summary = element('dl', 'result__summary');
      [
        ['Your score', percent(outcome.scaled) + ' (' + outcome.correctCount + ' out of ' + questions.length + ' correct)'],
        ['Pass mark', percent(passRatio)]
      ].forEach(function (pair) {
        summary.appendChild(element('dt', '', pair[0]));
        summary.appendChild(element('dd', '', pair[1]));
      });
      result.appendChild(summary);
      var list = element('ul', 'result__questions');
      marked.forEach(function (m, index) {
        var item = element('li', m.correct ? 'result__correct' : 'result__incorrect',
          'Question ' + (index + 1) + ': ' + (m.correct ? 'correct' : 'incorrect'));
        list.appendChild(item);
      });
      result.appendChild(list);
      if (outcome.passed) {
        result.appendChild(element('p', '',
          'Your result has been recorded. Click the Home icon to exit the eAssessment.'));
      } else {
        result.appendChild(element('p', '',
          'Your result has been recorded. Read the course again if you need to, then try again with new answers.'));
        var retry = element('button', 'button', 'Try again');
        retry.type = 'button';
        retry.setAttribute('data-retry', '');
        retry.addEventListener('click', tryAgain);
        result.appendChild(retry);
      }
      form.hidden = true;
      if (intro) intro.hidden = true;
      result.hidden = false;
      global.scrollTo(0, 0);
      title.focus();
    }

    function tryAgain() {
      form.reset();
      showErrors([]);
      result.hidden = true;
      form.hidden = false;
      if (intro) intro.hidden = false;
      shell.announce('Your previous answers have been cleared.');
      var first = form.querySelector('input');
      if (first) first.focus();
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var unanswered = questions.filter(function (question) { return !chosenAnswer(question); });
      showErrors(unanswered);
      if (unanswered.length) return;
      var marked = mark();
      showResult(marked, record(marked));
    });

    renderQuestions();
    session.markIncomplete();
    session.commit();
  }

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
  else start();
})(window);
