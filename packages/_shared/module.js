/*
 * module.js: a single-SCO learning module made of sections.
 *
 * The page holds the words: a menu ([data-menu]) with the instructions and an
 * empty list ([data-section-list]), and one <section data-section="id"> per
 * section, each starting with its <h2>. This engine builds the section list,
 * shows one section at a time, puts a green tick beside each section viewed,
 * and records progress:
 *
 *   location      the section on screen (cmi.core.lesson_location / cmi.location)
 *   suspend data  {"viewed":["id",...]} so a resumed learner keeps the ticks
 *   progress      viewed / total (cmi.progress_measure, SCORM 2004 only)
 *   status        incomplete until every section is viewed, then completed
 */
(function (global) {
  'use strict';

  var doc = global.document;
  var TICK_SVG =
    '<svg class="tick__icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">' +
    '<circle cx="12" cy="12" r="11"></circle><path d="M6.5 12.5l3.5 3.5 7.5-8"></path></svg>';

  function parseViewed(text, knownIds) {
    if (!text) return [];
    try {
      var data = JSON.parse(text);
      var viewed = data && Array.isArray(data.viewed) ? data.viewed : [];
      return viewed.filter(function (id) { return knownIds.indexOf(id) !== -1; });
    } catch (err) {
      return []; // Not ours (or damaged): start the ticks afresh rather than fail.
    }
  }

  function button(label, attribute, value, className) {
    var node = doc.createElement('button');
    node.type = 'button';
    node.className = className || 'button button--secondary';
    node.textContent = label;
    node.setAttribute(attribute, value);
    return node;
  }

  function start() {
    var menu = doc.querySelector('[data-menu]');
    var list = doc.querySelector('[data-section-list]');
    var progressText = doc.querySelector('[data-progress]');
    var completeMessage = doc.querySelector('[data-complete-message]');
    var sections = Array.prototype.slice.call(doc.querySelectorAll('[data-section]'));
    var ids = sections.map(function (section) { return section.getAttribute('data-section'); });
    var viewed = [];
    var current = null;

    var shell = global.CourseShell.boot({ onBeforeFinish: save });
    var session = shell.session;

    function headingOf(section) {
      return section.querySelector('h2');
    }

    function sectionById(id) {
      return sections[ids.indexOf(id)] || null;
    }

    function buildMenu() {
      sections.forEach(function (section, index) {
        var id = ids[index];
        var title = headingOf(section).textContent;
        var item = doc.createElement('li');
        item.className = 'section-list__item';
        item.appendChild(button(title, 'data-open', id, 'section-list__link'));
        var tick = doc.createElement('span');
        tick.className = 'tick';
        tick.setAttribute('data-tick', id);
        tick.hidden = true;
        tick.innerHTML = TICK_SVG + '<span class="tick__text">Viewed</span>';
        item.appendChild(tick);
        list.appendChild(item);

        headingOf(section).setAttribute('tabindex', '-1');
        var nav = doc.createElement('nav');
        nav.className = 'section-nav';
        nav.setAttribute('aria-label', 'Section navigation');
        if (index > 0) nav.appendChild(button('Previous section', 'data-open', ids[index - 1]));
        nav.appendChild(button('Back to sections', 'data-menu-link', ''));
        if (index < sections.length - 1) {
          nav.appendChild(button('Next section', 'data-open', ids[index + 1], 'button'));
        }
        section.appendChild(nav);
      });
    }

    function render() {
      viewed.forEach(function (id) {
        var tick = doc.querySelector('[data-tick="' + id + '"]');
        if (tick) tick.hidden = false;
      });
      if (progressText) {
        progressText.textContent = viewed.length + ' of ' + sections.length + ' sections viewed';
      }
      if (completeMessage) completeMessage.hidden = viewed.length < sections.length;
    }

    function save() {
      if (current) session.setLocation(current);
      session.setSuspendData(JSON.stringify({ viewed: viewed }));
      session.setProgress(viewed.length / sections.length);
    }

    function markViewed(id) {
      var isNew = viewed.indexOf(id) === -1;
      if (isNew) viewed.push(id);
      save();
      if (viewed.length === sections.length && !session.isCompleted()) {
        session.markCompleted();
        shell.announce('You have viewed all of the sections. This session is complete.');
      }
      session.commit();
      render();
    }

    function showSection(id) {
      var section = sectionById(id);
      if (!section) return;
      menu.hidden = true;
      sections.forEach(function (other) { other.hidden = other !== section; });
      current = id;
      markViewed(id);
      global.scrollTo(0, 0);
      headingOf(section).focus();
    }

    function showMenu() {
      var previous = current;
      sections.forEach(function (section) { section.hidden = true; });
      menu.hidden = false;
      global.scrollTo(0, 0);
      var back = previous && list.querySelector('[data-open="' + previous + '"]');
      if (back) back.focus();
    }

    buildMenu();
    doc.addEventListener('click', function (event) {
      var target = event.target.closest ? event.target.closest('button') : null;
      if (!target) return;
      if (target.hasAttribute('data-open')) showSection(target.getAttribute('data-open'));
      else if (target.hasAttribute('data-menu-link')) showMenu();
    });

    viewed = parseViewed(session.suspendData(), ids);
    if (session.isCompleted()) viewed = ids.slice();
    session.markIncomplete();
    session.commit();
    render();

    // SCORM 1.2 RTE 3.4.4 / 2004 RTE 4.2.11: entry "resume" follows an exit of "suspend".
    var bookmark = session.entry() === 'resume' ? session.location() : '';
    if (bookmark && sectionById(bookmark)) showSection(bookmark);
  }

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
  else start();
})(window);
