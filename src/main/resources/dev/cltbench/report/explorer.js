/* The report's responses explorer: filters, sort and search over the responses embedded in the page
   (script#explorer-data), and links from tables, the heatmap, the forest plot and figure marks
   (#explore:key=value&...). Plain DOM code, no library: the page must work offline from one file. */
(function () {
  'use strict';
  var node = document.getElementById('explorer-data');
  if (!node) { return; }
  var data = JSON.parse(node.textContent);
  var all = data.responses || [];
  var criteria = data.criteria || [];
  var LANG = {eng: 'English', kaz: 'Kazakh', kir: 'Kyrgyz', khk: 'Mongolian', mon: 'Mongolian',
    mn: 'Mongolian', rus: 'Russian', tat: 'Tatar', bak: 'Bashkir', uzb: 'Uzbek', tur: 'Turkish',
    und: 'undetermined'};
  var PAGE = 50;
  var shown = PAGE;
  var state = {};
  var FIELDS = ['model', 'condition', 'category', 'family', 'wrong', 'failed', 'min', 'max', 'q', 'sort'];
  function $(id) { return document.getElementById(id); }
  function langName(c) { return (LANG[c] || c) + ' (' + c + ')'; }
  function total(r) {
    if (typeof r.total === 'number') { return r.total; }
    var s = 0;
    criteria.forEach(function (c) { s += score(r, c) || 0; });
    return s;
  }
  function score(r, c) {
    if (r.scores && typeof r.scores[c] === 'number') { return r.scores[c]; }
    return typeof r[c] === 'number' ? r[c] : null;
  }
  function distinct(field) {
    var seen = {}, out = [];
    all.forEach(function (r) {
      var v = r[field];
      if (v !== undefined && v !== null && v !== '' && !seen[v]) { seen[v] = true; out.push(String(v)); }
    });
    return out;
  }
  function fill(select, values, label) {
    values.forEach(function (v) {
      var o = document.createElement('option');
      o.value = v; o.textContent = label ? label(v) : v;
      select.appendChild(o);
    });
  }
  function wrongLanguages() {
    var seen = {}, out = [];
    all.forEach(function (r) {
      if (r.wrong_language && r.detected_language && !seen[r.detected_language]) {
        seen[r.detected_language] = true; out.push(r.detected_language);
      }
    });
    return out.sort();
  }
  function oneOf(value, wanted) { return wanted.split(',').indexOf(String(value)) >= 0; }
  function haystack(r) {
    if (r._text === undefined) {
      r._text = [r.question_text, r.reference_answer, r.response, r.final_answer, r.judge_notes,
        r.failure_reason, r.model, r.category].concat((r.steps || []).map(function (s) { return s.output; }))
        .filter(Boolean).join('\n').toLowerCase();
    }
    return r._text;
  }
  function matches(r) {
    if (state.model && !oneOf(r.model, state.model)) { return false; }
    if (state.condition && !oneOf(r.condition, state.condition)) { return false; }
    if (state.category && !oneOf(r.category, state.category)) { return false; }
    if (state.family && !oneOf(r.family, state.family)) { return false; }
    if (state.wrong === 'any' && !r.wrong_language) { return false; }
    if (state.wrong === 'none' && r.wrong_language) { return false; }
    if (state.wrong && state.wrong !== 'any' && state.wrong !== 'none'
        && !(r.wrong_language && r.detected_language === state.wrong)) { return false; }
    if (state.failed === 'only' && !r.failed) { return false; }
    if (state.failed === 'graded' && r.failed) { return false; }
    if (state.min !== '' && state.min !== undefined && (r.failed || total(r) < Number(state.min))) { return false; }
    if (state.max !== '' && state.max !== undefined && (r.failed || total(r) > Number(state.max))) { return false; }
    if (state.q && haystack(r).indexOf(state.q.toLowerCase()) < 0) { return false; }
    return true;
  }
  var SORTS = {
    study: null,
    'score-asc': function (a, b) { return total(a) - total(b); },
    'score-desc': function (a, b) { return total(b) - total(a); },
    'time-desc': function (a, b) { return (b.response_time_s || 0) - (a.response_time_s || 0); },
    'words-desc': function (a, b) { return (b.words || 0) - (a.words || 0); }
  };
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function block(parent, title, text) {
    if (text === undefined || text === null || text === '') { return; }
    var d = el('div', 'ex-block');
    d.appendChild(el('div', 'ex-label', title));
    d.appendChild(el('div', 'ex-text', text));
    parent.appendChild(d);
  }
  function card(r) {
    var d = el('details', 'ex-card' + (r.failed ? ' ex-failed' : '') + (r.wrong_language ? ' ex-wrong' : ''));
    d.setAttribute('data-model', r.model);
    d.setAttribute('data-condition', r.condition);
    d.setAttribute('data-question', r.question_id);
    var s = el('summary');
    var head = r.condition + ' · ' + r.model + ' · Q' + r.question_id + (r.category ? ' · ' + r.category : '');
    s.appendChild(el('span', 'ex-head', head));
    if (r.failed) {
      s.appendChild(el('span', 'ex-badge ex-bad', 'failed: ' + (r.failure_stage || '')));
    } else {
      s.appendChild(el('span', 'ex-badge', 'score ' + total(r)));
      if (r.detected_language) {
        s.appendChild(el('span', 'ex-badge' + (r.wrong_language ? ' ex-bad' : ''), langName(r.detected_language)));
      }
    }
    d.appendChild(s);
    var body = el('div', 'ex-body');
    block(body, 'Question', r.question_text);
    block(body, 'Reference answer', r.reference_answer);
    (r.steps || []).forEach(function (st) { block(body, 'Step: ' + st.stage + (st.model ? ' (' + st.model + ')' : ''), st.output); });
    block(body, r.steps ? 'Response (final)' : 'Response', r.response);
    if (r.final_answer && r.final_answer !== r.response) {
      block(body, 'Graded text (' + (r.extraction || 'extracted') + ')', r.final_answer);
    }
    if (r.failed) { block(body, 'Failure', r.failure_stage + ': ' + r.failure_reason); }
    if (!r.failed) {
      var t = el('table', 'ex-scores');
      var hr = el('tr');
      hr.appendChild(el('th', null, 'rater'));
      criteria.forEach(function (c) { hr.appendChild(el('th', null, c)); });
      hr.appendChild(el('th', null, 'notes'));
      t.appendChild(hr);
      function row(name, g, notes) {
        var tr = el('tr');
        tr.appendChild(el('td', null, name));
        criteria.forEach(function (c) { var v = score(g, c); tr.appendChild(el('td', 'num', v === null ? '—' : v)); });
        tr.appendChild(el('td', 'ex-notes', notes || ''));
        t.appendChild(tr);
      }
      row('grade (panel)', r, r.judge_notes);
      Object.keys(r.judges || {}).sort().forEach(function (j) { row(j, r.judges[j], r.judges[j].notes); });
      body.appendChild(t);
      var facts = [];
      if (r.detected_language) {
        facts.push('detected ' + langName(r.detected_language) + (r.expected_language ? ', expected ' + langName(r.expected_language) : '')
          + (r.language_confidence !== undefined ? ', confidence ' + Number(r.language_confidence).toFixed(3) : '')
          + (r.language_decided_by ? ' by ' + r.language_decided_by : ''));
      }
      ['cyrillic_share', 'code_switch_share', 'english_leak_words', 'all_steps_shown', 'words', 'response_time_s']
        .forEach(function (k) { if (r[k] !== undefined && r[k] !== null) { facts.push(k + ' ' + (typeof r[k] === 'number' && k.indexOf('share') >= 0 ? r[k].toFixed(3) : r[k])); } });
      block(body, 'Language and automatic metrics', facts.join(' · '));
    }
    d.appendChild(body);
    return d;
  }
  function readControls() {
    FIELDS.forEach(function (f) { var c = $('ex-' + f); if (c) { state[f] = c.value; } });
  }
  function writeControls() {
    FIELDS.forEach(function (f) {
      var c = $('ex-' + f);
      if (!c) { return; }
      var v = state[f] || (f === 'sort' ? 'study' : '');
      if (c.tagName === 'SELECT' && v && !Array.prototype.some.call(c.options, function (o) { return o.value === v; })) {
        var o = document.createElement('option'); o.value = v; o.textContent = v.split(',').join(' + ');
        c.appendChild(o);
      }
      c.value = v;
    });
  }
  function render() {
    var list = all.filter(matches);
    var sort = SORTS[state.sort || 'study'];
    if (sort) { list = list.slice().sort(sort); }
    $('explorer-count').textContent = list.length + (list.length === 1 ? ' response' : ' responses');
    var out = $('explorer-list');
    out.textContent = '';
    list.slice(0, shown).forEach(function (r) { out.appendChild(card(r)); });
    $('ex-more').style.display = list.length > shown ? '' : 'none';
  }
  function apply(params, scroll) {
    state = {};
    Object.keys(params).forEach(function (k) { state[k] = params[k]; });
    shown = PAGE;
    writeControls();
    render();
    if (scroll) { $('explorer').scrollIntoView(); }
  }
  function fromHash() {
    var h = decodeURIComponent(location.hash || '');
    if (h.indexOf('#explore:') !== 0) { return; }
    var params = {};
    h.substring(9).split('&').forEach(function (kv) {
      var i = kv.indexOf('=');
      if (i > 0) { params[kv.substring(0, i)] = kv.substring(i + 1); }
    });
    apply(params, true);
  }
  function go(params) {
    var parts = [];
    Object.keys(params).forEach(function (k) { if (params[k]) { parts.push(k + '=' + params[k]); } });
    var h = '#explore:' + parts.join('&');
    if (location.hash === h) { fromHash(); } else { location.hash = h; }
  }
  fill($('ex-model'), distinct('model'));
  fill($('ex-condition'), distinct('condition'));
  fill($('ex-category'), distinct('category'));
  fill($('ex-family'), distinct('family'));
  fill($('ex-wrong'), wrongLanguages(), function (c) { return 'wrong: ' + langName(c); });
  FIELDS.forEach(function (f) {
    var c = $('ex-' + f);
    if (c) { c.addEventListener(c.tagName === 'INPUT' ? 'input' : 'change', function () { readControls(); shown = PAGE; render(); }); }
  });
  $('ex-more').addEventListener('click', function () { shown += PAGE; render(); });
  $('ex-reset').addEventListener('click', function () { apply({}, false); });
  /* Figure marks: bars know their cluster and series; the figure says what those are. */
  var FIGURES = {
    'fig-score-condition': function (b) { return {condition: b.getAttribute('data-cluster')}; },
    'fig-score-family': function (b) { return {family: b.getAttribute('data-cluster'), condition: b.getAttribute('data-series')}; },
    'fig-score-model': function (b) { return {model: b.getAttribute('data-cluster'), condition: b.getAttribute('data-series')}; },
    'fig-accuracy-fluency': function (b) { return {condition: b.getAttribute('data-cluster')}; },
    'fig-accuracy-fluency-family': function (b) { var k = b.getAttribute('data-cluster').split(' '); return {family: k[0], condition: k[1]}; },
    'fig-score-time': function (p) { return {family: p.getAttribute('data-group'), condition: p.getAttribute('data-label')}; }
  };
  Object.keys(FIGURES).forEach(function (id) {
    var svg = document.getElementById(id);
    if (!svg) { return; }
    Array.prototype.forEach.call(svg.querySelectorAll('rect.bar, g.point'), function (m) {
      m.style.cursor = 'pointer';
      m.addEventListener('click', function () { go(FIGURES[id](m)); });
    });
  });
  window.addEventListener('hashchange', fromHash);
  if (data.omitted > 0) {
    $('explorer-note').textContent = data.omitted + ' of ' + data.total + ' responses are not in this page '
      + '(it embeds at most ' + data.embedded + ', in the order of responses.jsonl); every response is in '
      + 'responses.jsonl beside report.html, one JSON object per line, and `report` on a study directory '
      + 'holding fewer models or conditions embeds them all.';
  } else {
    $('explorer-note').textContent = 'All ' + data.embedded + ' responses are embedded in this page.';
  }
  readControls();
  render();
  fromHash();
})();
