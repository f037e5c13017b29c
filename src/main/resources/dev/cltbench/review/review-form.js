// The review form's only behaviour: keep the grades in localStorage, count them, and export or load
// them as CSV (review_id, one column per rubric criterion, notes). Plain JavaScript, offline.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('review-data').textContent);
  var criteria = data.criteria;
  var storeKey = 'cltbench-review:' + data.sample;
  var form = document.getElementById('review');

  function field(id, name) { return form.elements[id + ':' + name]; }
  function value(id, name) {
    var f = field(id, name);
    if (!f) { return ''; }
    if (f.length !== undefined && f.tagName !== 'TEXTAREA') {
      for (var i = 0; i < f.length; i++) { if (f[i].checked) { return f[i].value; } }
      return '';
    }
    return f.value;
  }
  function set(id, name, v) {
    var f = field(id, name);
    if (!f) { return; }
    if (f.length !== undefined && f.tagName !== 'TEXTAREA') {
      for (var i = 0; i < f.length; i++) { f[i].checked = f[i].value === String(v); }
    } else {
      f.value = v == null ? '' : v;
    }
  }
  function collect() {
    var out = {};
    data.ids.forEach(function (id) {
      var row = {};
      criteria.forEach(function (c) { row[c] = value(id, c); });
      row.notes = value(id, 'notes');
      out[id] = row;
    });
    return out;
  }
  function refresh() {
    var all = collect();
    var done = 0;
    data.ids.forEach(function (id) {
      var complete = criteria.every(function (c) { return all[id][c] !== ''; });
      done += complete ? 1 : 0;
      document.getElementById('item-' + id).classList.toggle('done', complete);
    });
    document.getElementById('progress').textContent = done + ' of ' + data.ids.length + ' graded';
    try { localStorage.setItem(storeKey, JSON.stringify(all)); } catch (e) { /* private mode: no memory */ }
  }
  function apply(all) {
    Object.keys(all).forEach(function (id) {
      if (data.ids.indexOf(id) < 0) { return; }
      criteria.concat(['notes']).forEach(function (c) { set(id, c, all[id][c]); });
    });
    refresh();
  }
  function quote(s) {
    s = String(s == null ? '' : s);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function toCsv() {
    var all = collect();
    var lines = [['review_id'].concat(criteria, ['notes']).map(quote).join(',')];
    data.ids.forEach(function (id) {
      lines.push([id].concat(criteria.map(function (c) { return all[id][c]; }), [all[id].notes]).map(quote).join(','));
    });
    return lines.join('\n') + '\n';
  }
  // RFC 4180 records: quoted fields may hold commas, quotes and line breaks.
  function parseCsv(text) {
    var rows = [], row = [], f = '', q = false;
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      if (q) {
        if (ch === '"' && text[i + 1] === '"') { f += '"'; i++; } else if (ch === '"') { q = false; } else { f += ch; }
      } else if (ch === '"') { q = true; } else if (ch === ',') { row.push(f); f = ''; }
      else if (ch === '\n' || ch === '\r') {
        if (ch === '\r' && text[i + 1] === '\n') { i++; }
        row.push(f); rows.push(row); row = []; f = '';
      } else { f += ch; }
    }
    if (f !== '' || row.length) { row.push(f); rows.push(row); }
    return rows;
  }
  function fromCsv(text) {
    var rows = parseCsv(text.replace(/^\ufeff/, ''));
    var head = rows.shift() || [];
    var all = {};
    rows.forEach(function (r) {
      var o = {};
      head.forEach(function (h, i) { o[h] = r[i]; });
      if (o.review_id) { all[o.review_id] = o; }
    });
    return all;
  }
  form.addEventListener('change', refresh);
  form.addEventListener('input', refresh);
  document.getElementById('export').addEventListener('click', function () {
    var blob = new Blob([toCsv()], {type: 'text/csv;charset=utf-8'});
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'human-grades.csv';
    document.body.appendChild(a);
    a.click();
    a.remove();
  });
  document.getElementById('import').addEventListener('change', function (e) {
    var file = e.target.files[0];
    if (!file) { return; }
    var reader = new FileReader();
    reader.onload = function () { apply(fromCsv(String(reader.result))); };
    reader.readAsText(file, 'utf-8');
  });
  window.cltbenchReview = {csv: toCsv};
  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(storeKey) || 'null'); } catch (e) { saved = null; }
  if (saved) { apply(saved); } else { refresh(); }
})();
