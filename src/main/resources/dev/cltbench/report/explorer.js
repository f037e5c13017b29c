/* The report's responses explorer: filters, sort and search over the responses embedded in the page
   (script#explorer-data), and links from tables, the heatmap, the forest plot and figure marks
   (#explore:key=value&...). Its state lives in the URL: every change is a history entry, so Back and
   Forward move through views and a copied address reopens one. Plain DOM code, no library: the page must
   work offline from one file. It runs once the whole page is parsed: the figures come after it. */
(function () {
  'use strict';
  function init() {
    var node = document.getElementById('explorer-data');
    if (!node) { return; }
    var data = JSON.parse(node.textContent);
    var all = data.responses || [];
    var criteria = data.criteria || [];
    /* Each criterion's maximum (the rubric's); a score in percent is a total over their sum, as in the tables. */
    var cmax = data.criterion_max || {};
    var maxTotal = criteria.reduce(function (s, c) { return s + (cmax[c] || 0); }, 0);
    var LANG = {eng: 'English', kaz: 'Kazakh', kir: 'Kyrgyz', khk: 'Mongolian', mon: 'Mongolian',
      mn: 'Mongolian', rus: 'Russian', tat: 'Tatar', bak: 'Bashkir', uzb: 'Uzbek', tur: 'Turkish',
      und: 'undetermined'};
    var PAGE = 50;
    var shown = PAGE;
    var state = {};
    var FIELDS = ['model', 'condition', 'category', 'family', 'wrong', 'failed', 'min', 'max', 'q', 'sort', 'pair'];
    var TEXT_FIELDS = {min: true, max: true, q: true};
    function $(id) { return document.getElementById(id); }
    function langName(c) { return (LANG[c] || c) + ' (' + c + ')'; }
    function total(r) {
      if (typeof r.total === 'number') { return r.total; }
      var s = 0;
      criteria.forEach(function (c) { s += score(r, c) || 0; });
      return s;
    }
    function pct(r) { return maxTotal > 0 ? 100 * total(r) / maxTotal : total(r); }
    function fixed(v, d) { return (Math.round(v * Math.pow(10, d)) / Math.pow(10, d)).toFixed(d); }
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
    /* What a search asks for: spaces around it and runs of spaces inside it do not count. */
    function needle() { return (state.q || '').replace(/\s+/g, ' ').trim().toLowerCase(); }
    function isNumber(v) { return v !== '' && v !== undefined && v !== null && !isNaN(Number(v)); }
    function matches(r, anyCondition) {
      if (state.model && !oneOf(r.model, state.model)) { return false; }
      if (!anyCondition && state.condition && !oneOf(r.condition, state.condition)) { return false; }
      if (state.category && !oneOf(r.category, state.category)) { return false; }
      if (state.family && !oneOf(r.family, state.family)) { return false; }
      if (state.wrong === 'any' && !r.wrong_language) { return false; }
      if (state.wrong === 'none' && r.wrong_language) { return false; }
      if (state.wrong && state.wrong !== 'any' && state.wrong !== 'none'
          && !(r.wrong_language && r.detected_language === state.wrong)) { return false; }
      if (state.failed === 'only' && !r.failed) { return false; }
      if (state.failed === 'graded' && r.failed) { return false; }
      /* Score bounds are percent of the rubric's maximum, like every score on the page. */
      if (isNumber(state.min) && (r.failed || pct(r) < Number(state.min) - 1e-9)) { return false; }
      if (isNumber(state.max) && (r.failed || pct(r) > Number(state.max) + 1e-9)) { return false; }
      var q = needle();
      if (q && haystack(r).indexOf(q) < 0) { return false; }
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
    /* A box that may scroll: reachable and named for keyboard and screen-reader users. */
    function scrollBox(e, name) {
      e.setAttribute('tabindex', '0');
      e.setAttribute('role', 'group');
      e.setAttribute('aria-label', name);
      return e;
    }
    function block(parent, title, text) {
      if (text === undefined || text === null || text === '') { return; }
      var d = el('div', 'ex-block');
      d.appendChild(el('div', 'ex-label', title));
      d.appendChild(scrollBox(el('div', 'ex-text', text), title));
      parent.appendChild(d);
    }
    function scoreText(r) {
      return 'score ' + fixed(pct(r), 0) + '%' + (maxTotal > 0 ? ' (' + total(r) + '/' + maxTotal + ')' : '');
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
        s.appendChild(el('span', 'ex-badge', scoreText(r)));
        if (r.detected_language) {
          s.appendChild(el('span', 'ex-badge' + (r.wrong_language ? ' ex-bad' : ''), langName(r.detected_language)));
        }
      }
      d.appendChild(s);
      /* The body is built when the card is first opened: 50 closed cards cost little. */
      d.addEventListener('toggle', function () { if (d.open && !d._built) { d._built = true; d.appendChild(body(r)); } });
      return d;
    }
    function body(r) {
      var b = el('div', 'ex-body');
      block(b, 'Question', r.question_text);
      block(b, 'Reference answer', r.reference_answer);
      (r.steps || []).forEach(function (st) { block(b, 'Step: ' + st.stage + (st.model ? ' (' + st.model + ')' : ''), st.output); });
      block(b, r.steps ? 'Response (final)' : 'Response', r.response);
      if (r.final_answer && r.final_answer !== r.response) {
        block(b, 'Graded text (' + (r.extraction || 'extracted') + ')', r.final_answer);
      }
      if (r.failed) { block(b, 'Failure', r.failure_stage + ': ' + r.failure_reason); }
      if (!r.failed) {
        var t = el('table', 'ex-scores');
        var hr = el('tr');
        hr.appendChild(el('th', null, 'rater'));
        criteria.forEach(function (c) { hr.appendChild(el('th', null, c + (cmax[c] ? ' (of ' + cmax[c] + ')' : ''))); });
        hr.appendChild(el('th', null, 'notes'));
        t.appendChild(hr);
        var row = function (name, g, notes) {
          var tr = el('tr');
          tr.appendChild(el('td', null, name));
          criteria.forEach(function (c) { var v = score(g, c); tr.appendChild(el('td', 'num', v === null ? '—' : v)); });
          tr.appendChild(el('td', 'ex-notes', notes || ''));
          t.appendChild(tr);
        };
        row('grade (panel)', r, r.judge_notes);
        Object.keys(r.judges || {}).sort().forEach(function (j) { row(j, r.judges[j], r.judges[j].notes); });
        var box = scrollBox(el('div', 'ex-scroll'), 'Grades');
        box.appendChild(t);
        b.appendChild(box);
        var facts = [];
        if (r.detected_language) {
          facts.push('detected ' + langName(r.detected_language) + (r.expected_language ? ', expected ' + langName(r.expected_language) : '')
            + (r.language_confidence !== undefined ? ', confidence ' + Number(r.language_confidence).toFixed(3) : '')
            + (r.language_decided_by ? ' by ' + r.language_decided_by : ''));
        }
        ['cyrillic_share', 'code_switch_share', 'english_leak_words', 'all_steps_shown', 'words', 'response_time_s']
          .forEach(function (k) { if (r[k] !== undefined && r[k] !== null) { facts.push(k + ' ' + (typeof r[k] === 'number' && k.indexOf('share') >= 0 ? r[k].toFixed(3) : r[k])); } });
        block(b, 'Language and automatic metrics', facts.join(' · '));
      }
      return b;
    }
    /* Mean score with an approximate 95% interval (mean ± 1.96 standard errors; the tables' intervals
       are bootstrapped, clustered by question), each criterion's mean, and the wrong-language share. */
    function stats(list) {
      var graded = list.filter(function (r) { return !r.failed; });
      if (!graded.length || !(maxTotal > 0)) { return ''; }
      var n = graded.length;
      var m = graded.reduce(function (s, r) { return s + pct(r); }, 0) / n;
      var v = n > 1 ? graded.reduce(function (s, r) { return s + (pct(r) - m) * (pct(r) - m); }, 0) / (n - 1) : 0;
      var h = 1.96 * Math.sqrt(v / n);
      var parts = ['mean score ' + fixed(m, 1) + '%' + (n > 1 ? ' (95% CI ' + fixed(Math.max(0, m - h), 1) + '–'
        + fixed(Math.min(100, m + h), 1) + ')' : '')];
      criteria.forEach(function (c) {
        if (!cmax[c]) { return; }
        var s = 0, k = 0;
        graded.forEach(function (r) { var x = score(r, c); if (x !== null) { s += x; k++; } });
        if (k) { parts.push(c + ' ' + fixed(100 * s / (k * cmax[c]), 1) + '%'); }
      });
      var detected = graded.filter(function (r) { return r.detected_language; });
      if (detected.length) {
        var w = detected.filter(function (r) { return r.wrong_language; }).length;
        parts.push('wrong language ' + fixed(100 * w / detected.length, 1) + '% (' + w + ' of ' + detected.length + ')');
      }
      return parts.join(' · ');
    }
    /* A comparison's pairs: the treatment's and the control's answer to one question by one model. */
    function pairs() {
      var cs = state.pair.split(',');
      var byKey = {}, out = [];
      all.forEach(function (r) {
        if ((r.condition !== cs[0] && r.condition !== cs[1]) || !matches(r, true)) { return; }
        var k = r.model + '\u0000' + r.question_id;
        var p = byKey[k] || (byKey[k] = {});
        p[r.condition === cs[0] ? 't' : 'c'] = r;
        if (p.t && p.c && !p.t.failed && !p.c.failed && !p.listed) { p.listed = true; out.push(p); }
      });
      var sort = state.sort || 'study';
      if (sort === 'score-asc' || sort === 'score-desc') {
        var sign = sort === 'score-asc' ? 1 : -1;
        out = out.slice().sort(function (a, b) { return sign * ((total(a.t) - total(a.c)) - (total(b.t) - total(b.c))); });
      } else if (SORTS[sort]) {
        out = out.slice().sort(function (a, b) { return SORTS[sort](a.t, b.t); });
      }
      return out;
    }
    function pairView(p) {
      var d = el('div', 'ex-pair');
      var diff = total(p.t) - total(p.c);
      d.appendChild(el('p', 'ex-pair-head', p.t.model + ' · Q' + p.t.question_id + ': ' + p.t.condition + ' − '
        + p.c.condition + ' = ' + (diff > 0 ? '+' : diff < 0 ? '−' : '') + Math.abs(diff)
        + (maxTotal > 0 ? ' of ' + maxTotal + ' (' + (diff > 0 ? '+' : diff < 0 ? '−' : '') + fixed(Math.abs(100 * diff / maxTotal), 1) + ' pp)' : '')));
      var two = el('div', 'ex-pair-cards');
      var a = card(p.t), b = card(p.c);
      /* The two answers open and close together, to be read side by side. */
      a.addEventListener('toggle', function () { if (b.open !== a.open) { b.open = a.open; } });
      b.addEventListener('toggle', function () { if (a.open !== b.open) { a.open = b.open; } });
      two.appendChild(a);
      two.appendChild(b);
      d.appendChild(two);
      return d;
    }
    function render() {
      var out = $('explorer-list');
      out.textContent = '';
      var count, list, more;
      if (state.pair && state.pair.split(',').length === 2) {
        var ps = pairs();
        count = ps.length + (ps.length === 1 ? ' pair' : ' pairs') + ' (' + state.pair.split(',').join(' and ')
          + ', the same question and model side by side)';
        list = [];
        ps.forEach(function (p) { list.push(p.t, p.c); });
        ps.slice(0, shown).forEach(function (p) { out.appendChild(pairView(p)); });
        more = ps.length > shown;
      } else {
        list = all.filter(function (r) { return matches(r, false); });
        var sort = SORTS[state.sort || 'study'];
        if (sort) { list = list.slice().sort(sort); }
        count = list.length + (list.length === 1 ? ' response' : ' responses');
        list.slice(0, shown).forEach(function (r) { out.appendChild(card(r)); });
        more = list.length > shown;
      }
      $('explorer-count').textContent = count;
      $('explorer-stats').textContent = stats(list);
      $('ex-more').style.display = more ? '' : 'none';
    }
    function readControls() {
      FIELDS.forEach(function (f) { var c = $('ex-' + f); if (c) { state[f] = c.value; } });
      if (state.sort === 'study') { delete state.sort; }
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
      var p = $('ex-pair-note');
      p.textContent = state.pair ? 'Paired view of ' + state.pair.split(',').join(' and ') + '. ' : '';
      p.style.display = state.pair ? '' : 'none';
    }
    /* The values a link may name; anything else is named on the page, not silently matched to nothing. */
    function unknown(params) {
      var known = {model: distinct('model'), condition: distinct('condition'), category: distinct('category'),
        family: distinct('family'), wrong: ['any', 'none'].concat(distinct('detected_language')),
        failed: ['only', 'graded'], sort: Object.keys(SORTS)};
      known.pair = known.condition;
      var out = [];
      Object.keys(params).forEach(function (k) {
        var v = params[k];
        if (FIELDS.indexOf(k) < 0) { out.push('“' + k + '” is not a filter of this page'); return; }
        if ((k === 'min' || k === 'max') && !isNumber(v)) { out.push(k + ' “' + v + '” is not a number'); return; }
        if (!known[k] || !v) { return; }
        var bad = v.split(',').filter(function (x) { return known[k].indexOf(x) < 0; });
        if (bad.length) {
          out.push('this study has no ' + k + ' ' + bad.map(function (x) { return '“' + x + '”'; }).join(', ')
            + ' (its ' + k + ' values: ' + known[k].join(', ') + ')');
        }
      });
      return out;
    }
    function apply(params) {
      state = {};
      Object.keys(params).forEach(function (k) { state[k] = params[k]; });
      var problems = unknown(params);
      var w = $('explorer-warning');
      w.textContent = problems.length ? 'This address asks for what the page does not hold: ' + problems.join('; ')
        + '. Nothing matches it; “reset” shows every response.' : '';
      w.style.display = problems.length ? '' : 'none';
      shown = PAGE;
      writeControls();
      render();
    }
    function parse(hash) {
      var params = {};
      hash.substring(9).split('&').forEach(function (kv) {
        var i = kv.indexOf('=');
        if (i > 0) {
          var v = kv.substring(i + 1);
          try { v = decodeURIComponent(v); } catch (e) { /* a bare % in an old link: keep it as written */ }
          params[kv.substring(0, i)] = v;
        }
      });
      return params;
    }
    function hashOf(s) {
      var parts = [];
      FIELDS.forEach(function (k) {
        if (s[k]) { parts.push(k + '=' + encodeURIComponent(s[k]).replace(/%2C/g, ',')); }
      });
      return parts.length ? '#explore:' + parts.join('&') : '';
    }
    var applied = null;
    /* The view the address names: an explorer link, or no fragment at all (the unfiltered list); other
       fragments (#figures, the skip link) leave the explorer as it is. */
    function fromLocation(scroll) {
      var h = location.hash || '';
      if (h === applied) { return; }
      if (h.indexOf('#explore:') === 0) {
        applied = h;
        apply(parse(h));
        if (scroll) { $('explorer').scrollIntoView(); }
      } else if (h === '') {
        applied = h;
        apply({});
      }
    }
    var lastTyped = null;
    /* A change of the controls is a new history entry; typing into one field keeps amending its entry. */
    function record(field) {
      var h = hashOf(state);
      if (h === (location.hash || '')) { return; }
      var target = h || location.pathname + location.search;
      if (TEXT_FIELDS[field] && lastTyped === field) {
        history.replaceState(null, '', target);
      } else {
        history.pushState(null, '', target);
      }
      lastTyped = TEXT_FIELDS[field] ? field : null;
      applied = h;
    }

    /* ---------------------------------------------------------------- wiring */
    var summary = $('explorer-count').parentNode;
    $('explorer-count').setAttribute('role', 'status');
    $('explorer-count').setAttribute('aria-live', 'polite');
    var statsEl = el('span', 'ex-stats');
    statsEl.id = 'explorer-stats';
    summary.insertBefore(statsEl, $('explorer-count').nextSibling);
    summary.insertBefore(document.createTextNode(' '), statsEl);
    var pairNote = el('span', 'ex-pair-note');
    pairNote.id = 'ex-pair-note';
    summary.insertBefore(pairNote, $('explorer-note'));
    var warning = el('p', 'ex-warning');
    warning.id = 'explorer-warning';
    warning.style.display = 'none';
    summary.parentNode.insertBefore(warning, summary.nextSibling);
    var minLabel = $('ex-min') && $('ex-min').parentNode;
    if (minLabel && maxTotal > 0) {
      minLabel.firstChild.textContent = 'score (%) from ';
      ['ex-min', 'ex-max'].forEach(function (id) { $(id).min = 0; $(id).max = 100; $(id).step = 'any'; });
    }
    fill($('ex-model'), distinct('model'));
    fill($('ex-condition'), distinct('condition'));
    fill($('ex-category'), distinct('category'));
    fill($('ex-family'), distinct('family'));
    fill($('ex-wrong'), wrongLanguages(), function (c) { return 'wrong: ' + langName(c); });
    FIELDS.forEach(function (f) {
      var c = $('ex-' + f);
      if (c) {
        c.addEventListener(c.tagName === 'INPUT' ? 'input' : 'change', function () {
          readControls();
          /* Choosing a condition by hand leaves a paired view for the plain list. */
          if (f === 'condition') { delete state.pair; writeControls(); }
          $('explorer-warning').style.display = 'none';
          record(f);
          shown = PAGE;
          render();
        });
      }
    });
    $('ex-more').addEventListener('click', function () { shown += PAGE; render(); });
    $('ex-reset').addEventListener('click', function () {
      state = {};
      record('reset');
      apply({});
    });
    /* Figure marks: each bar and point becomes a link to its responses (mouse, keyboard, copy link).
       Bars know their cluster and series; the figure says what those are. */
    var FIGURES = {
      'fig-score-condition': function (b) { return {condition: b.getAttribute('data-cluster')}; },
      'fig-score-family': function (b) { return {family: b.getAttribute('data-cluster'), condition: b.getAttribute('data-series')}; },
      'fig-score-model': function (b) { return {model: b.getAttribute('data-cluster'), condition: b.getAttribute('data-series')}; },
      'fig-accuracy-fluency': function (b) { return {condition: b.getAttribute('data-cluster')}; },
      'fig-accuracy-fluency-family': function (b) { var k = b.getAttribute('data-cluster').split(' '); return {family: k[0], condition: k[1]}; },
      'fig-score-time': function (p) { return {family: p.getAttribute('data-group'), condition: p.getAttribute('data-label')}; }
    };
    function interactive(svg) {
      /* A figure holding links is a group of links, not one image (an image has no focusable parts). */
      svg.setAttribute('role', 'group');
    }
    Object.keys(FIGURES).forEach(function (id) {
      var svg = document.getElementById(id);
      if (!svg) { return; }
      interactive(svg);
      Array.prototype.forEach.call(svg.querySelectorAll('rect.bar, g.point'), function (m) {
        var a = document.createElementNS(svg.namespaceURI, 'a');
        a.setAttribute('href', hashOf(FIGURES[id](m)));
        a.setAttribute('class', 'mark-link');
        var title = m.querySelector('title');
        a.setAttribute('aria-label', (title ? title.textContent : '') + ': show these responses');
        m.parentNode.insertBefore(a, m);
        a.appendChild(m);
      });
    });
    /* Forest rows: the whole row's width is the link, not only its label, line and dot. */
    var forest = $('fig-forest');
    if (forest) {
      interactive(forest);
      var width = forest.viewBox.baseVal.width;
      Array.prototype.forEach.call(forest.querySelectorAll('a'), function (a) {
        var g = a.querySelector('g.forest-row');
        var dot = a.querySelector('circle');
        if (!g || !dot) { return; }
        var t = g.querySelector('title');
        if (t) { a.setAttribute('aria-label', t.textContent + ': show the pairs'); }
        var hit = document.createElementNS(forest.namespaceURI, 'rect');
        var cy = Number(dot.getAttribute('cy'));
        hit.setAttribute('class', 'forest-hit');
        hit.setAttribute('x', '0'); hit.setAttribute('width', String(width));
        hit.setAttribute('y', String(cy - 10)); hit.setAttribute('height', '20');
        hit.setAttribute('fill', 'transparent');
        g.insertBefore(hit, g.firstChild);
      });
    }
    /* Heatmap columns: on a phone only the condition's id heads a column (the full label stays for
       screen readers, and a legend under the table spells the ids out), so the table fits the screen. */
    var heat = $('heatmap');
    if (heat) {
      var legend = [];
      Array.prototype.forEach.call(heat.querySelectorAll('thead th'), function (th, i) {
        var t = th.textContent, k = t.indexOf(' · ');
        if (i === 0 || k < 0) { return; }
        th.textContent = '';
        th.appendChild(el('span', 'heat-id', t.substring(0, k)));
        th.appendChild(el('span', 'heat-label', t.substring(k)));
        legend.push(t.substring(0, k) + ': ' + t.substring(k + 3));
      });
      if (legend.length) {
        var lg = el('p', 'heat-legend', legend.join(' · '));
        lg.setAttribute('aria-hidden', 'true');
        heat.parentNode.parentNode.insertBefore(lg, heat.parentNode.nextSibling);
      }
    }
    /* Scroll boxes the page was written with (tables, heatmap, figures) are keyboard-reachable. */
    Array.prototype.forEach.call(document.querySelectorAll('.scroll:not([tabindex])'), function (s) {
      var h = s.closest('section.table, section, figure');
      var name = h && h.querySelector('h3, figcaption, h2');
      scrollBox(s, (name ? name.textContent.replace(/\s+/g, ' ').trim() : 'table') + ' (scrolls)');
    });
    /* The contents line names every section the page has, including those added after rendering. */
    var toc = document.querySelector('nav.toc');
    if (toc) {
      var before = toc.querySelector('a[href^="#table-"]');
      Array.prototype.forEach.call(document.querySelectorAll('main > section[id]'), function (s) {
        var h2 = s.querySelector('h2');
        if (!h2 || s.id === 'tables' || toc.querySelector('a[href="#' + s.id + '"]')) { return; }
        var a = el('a', null, h2.textContent);
        a.setAttribute('href', '#' + s.id);
        toc.insertBefore(a, before);
        toc.insertBefore(document.createTextNode(before ? ' · ' : ''), before);
        if (!before) { toc.insertBefore(document.createTextNode(' · '), a); }
      });
    }
    /* A run's cost section repeats the page's note that its models were emulated: read alone, its
       dollars would look like money spent on real models. */
    var run = $('run');
    var emulated = Array.prototype.filter.call(document.querySelectorAll('.notes li'), function (li) {
      return /emulated/i.test(li.textContent);
    })[0];
    if (run && emulated && run.querySelector('h2')) {
      var p = el('p', 'table-note ex-emulated', 'As the note at the top says: ' + emulated.textContent
        + ' The costs below are the pipeline file\'s prices applied to the emulator\'s token counts.');
      run.insertBefore(p, run.querySelector('h2').nextSibling);
    }
    window.addEventListener('hashchange', function () { fromLocation(true); });
    window.addEventListener('popstate', function () { fromLocation(false); });
    if (data.omitted > 0) {
      $('explorer-note').textContent = data.omitted + ' of ' + data.total + ' responses are not in this page '
        + '(it embeds at most ' + data.embedded + ', in the order of responses.jsonl); every response is in '
        + 'responses.jsonl beside report.html, one JSON object per line, and `report` on a study directory '
        + 'holding fewer models or conditions embeds them all.';
    } else {
      $('explorer-note').textContent = 'All ' + data.embedded + ' responses are embedded in this page.';
    }
    if ((location.hash || '').indexOf('#explore:') === 0) {
      fromLocation(true);
    } else {
      readControls();
      render();
    }
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
