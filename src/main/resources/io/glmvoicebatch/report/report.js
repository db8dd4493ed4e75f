(function () {
  'use strict';
  var t0 = performance.now();
  window.reportStart = t0;
  var table = document.getElementById('items');
  var tbody = table.tBodies[0];
  var textBox = document.getElementById('filter-text');
  var statusBox = document.getElementById('filter-status');
  var scopeBox = document.getElementById('filter-scope');
  var sizeBox = document.getElementById('page-size');
  var countEl = document.getElementById('row-count');
  var pageInfo = document.getElementById('page-info');
  var prevBtn = document.getElementById('page-prev');
  var nextBtn = document.getElementById('page-next');
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);

  // The rows come from report-data.js beside the page; without it the page says so instead of failing.
  if (!window.REPORT_ROWS || !window.REPORT_META) {
    document.getElementById('data-missing').hidden = false;
    countEl.textContent = 'no rows: report-data.js not found';
    document.documentElement.setAttribute('data-ready', 'true');
    return;
  }
  var meta = window.REPORT_META;
  var texts = meta.texts;
  var textsLower = texts.map(function (s) { return s.toLowerCase(); });
  // A prompt or system text is a number into texts, or (past the writer's table limit) the text itself.
  function textOf(v) {
    return typeof v === 'string' ? v : (v >= 0 ? texts[v] : null);
  }
  function lowerTextHas(v, q) {
    return typeof v === 'string' ? v.toLowerCase().indexOf(q) >= 0 : (v >= 0 && textsLower[v].indexOf(q) >= 0);
  }
  var cols = {};
  meta.columns.forEach(function (c, i) { cols[c] = i; });
  var raw = window.REPORT_ROWS;
  var items = new Array(raw.length);
  for (var r = 0; r < raw.length; r++) {
    var row = raw[r];
    var it = {};
    for (var c = 0; c < meta.columns.length; c++) { it[meta.columns[c]] = row[c]; }
    items[r] = it;
  }
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  // Manifest order reads best; ledger order breaks ties (and orders items without a manifest line, last).
  var baseOrder = items.map(function (_, i) { return i; });
  baseOrder.sort(function (a, b) {
    var x = items[a].manifest_line, y = items[b].manifest_line;
    if (x === null || y === null) { return x === y ? a - b : (x === null ? 1 : -1); }
    return x !== y ? x - y : a - b;
  });
  var order = baseOrder;
  var view = order;
  var haystack = null;
  var sortKey = null;
  var sortDir = 1;
  var page = 0;

  // Every piece of data reaches the page through textContent or setAttribute, never as markup.
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (text && /[\u3000-\u9fff\uf900-\ufaff]/.test(String(text))) { e.lang = 'zh-CN'; } // Chinese glyph forms
    return e;
  }
  function token(s) { return String(s).toLowerCase().replace(/[^a-z0-9_-]/g, '_'); }
  // An id may break after - _ . / # or a space, never inside a word.
  function idText(parent, id) {
    var parts = String(id).split(/(?<=[-_.\/#: ])/);
    parts.forEach(function (p, k) {
      if (k > 0) { parent.appendChild(document.createElement('wbr')); }
      parent.appendChild(document.createTextNode(p));
    });
  }
  // Links come from the report writer as percent-encoded relative paths (or file: URLs); refuse anything else.
  function safeHref(h) {
    if (typeof h !== 'string' || h === '') { return null; }
    return (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(h) || /^file:/i.test(h)) ? h : null;
  }
  function num(v, digits) {
    if (v === null || v === undefined || v === '') { return ''; }
    return digits === undefined ? String(v) : Number(v).toFixed(digits);
  }
  function numCell(text, title) {
    var td = el('td', 'num', text);
    if (title) { td.title = title; }
    return td;
  }

  function sortValue(it, key) {
    switch (key) {
      case 'id': return it.key;
      case 'state': return it.state;
      case 'error': return it.error_code === null ? null : it.error_code + ' ' + (it.error_message || '');
      case 'cost': return it.cost === null ? null : parseFloat(it.cost);
      default: return it[key];
    }
  }

  // A player that says "not found" when its file is missing (or unreadable) instead of failing silently.
  function audioClip(label, href, what, note) {
    var line = el('div', 'clip');
    line.appendChild(el('span', 'clip-label', label));
    var h = safeHref(href);
    if (h) {
      var a = document.createElement('audio');
      a.controls = true;
      a.preload = 'metadata';
      a.setAttribute('aria-label', what);
      a.addEventListener('error', function () {
        var miss = el('span', 'missing', what + ' not found');
        miss.title = decodeURIComponent(h);
        if (a.parentNode) { a.parentNode.replaceChild(miss, a); }
      });
      a.setAttribute('src', h);
      line.appendChild(a);
      if (note) { line.appendChild(el('span', 'sub', note)); }
    } else {
      line.appendChild(el('span', 'missing', what + ' not found'));
    }
    return line;
  }

  function askCell(it) {
    var td = el('td', 'ask');
    var p = textOf(it.prompt);
    var s = textOf(it.system);
    if (p !== null) { td.appendChild(el('div', 'prompt', p)); }
    if (s !== null) { td.appendChild(el('div', 'system', s)).title = 'system text'; }
    if (p === null && s === null) { td.appendChild(el('span', 'sub', it.state === 'ok' ? 'audio only' : '')); }
    return td;
  }

  function buildRow(it) {
    var tr = document.createElement('tr');
    tr.className = 'row-' + token(it.state);
    var id = el('td', 'id');
    idText(id, it.id);
    if (/[\u3000-\u9fff]/.test(it.id)) { id.lang = 'zh-CN'; }
    if (it.segment !== null) { id.appendChild(el('div', 'sub', 'segment ' + it.segment)); }
    if (it.manifest_line !== null) { id.appendChild(el('div', 'sub', 'manifest line ' + it.manifest_line)); }
    if (!it.in_run && meta.run_item_count !== null) { id.appendChild(el('div', 'sub other-run', 'other manifest')); }
    if (it.request_id) { id.title = 'request_id ' + it.request_id; }
    tr.appendChild(id);

    var st = el('td');
    var pill = el('span', 'status status-' + token(it.state), it.state);
    if (it.state === 'uncertain') {
      pill.title = 'last ledger line is "sending": the run stopped while this request was in flight; it may have been billed';
    }
    st.appendChild(pill);
    if (it.reason) { st.appendChild(el('div', 'sub', it.reason)); }
    tr.appendChild(st);
    tr.appendChild(askCell(it));

    var err = el('td', 'err');
    if (it.error_code !== null) {
      err.appendChild(el('code', null, it.error_code));
      if (it.http_status !== null) { err.appendChild(document.createTextNode(' HTTP ' + it.http_status)); }
      if (it.error_message) { err.appendChild(el('div', null, it.error_message)); }
    }
    tr.appendChild(err);

    tr.appendChild(numCell(num(it.seconds_sent, 2), it.input_seconds === null ? '' : 'input ' + num(it.input_seconds, 2) + ' s'));
    tr.appendChild(numCell(num(it.reply_seconds, 2)));
    tr.appendChild(numCell(num(it.prompt_tokens)));
    tr.appendChild(numCell(num(it.completion_tokens), it.total_tokens === null ? '' : 'total ' + it.total_tokens));
    tr.appendChild(numCell(it.cost === null ? '' : it.cost + ' ' + it.currency));
    tr.appendChild(numCell(it.latency_ms === null ? '' : it.latency_ms + ' ms'));
    var retries = it.attempts !== null && it.attempts > 1 ? ' (' + (it.attempts - 1) + ' retr' + (it.attempts === 2 ? 'y' : 'ies') + ')' : '';
    tr.appendChild(numCell(it.attempts === null ? '' : it.attempts + retries));

    var media = el('td', 'media');
    if (it.state === 'ok') {
      if (it.segment === null && it.segments !== null) {
        media.appendChild(el('div', 'sub', 'sent in ' + it.segments + ' segments: their rows hold the input players'));
      } else {
        media.appendChild(audioClip('input', it.input_href, 'input audio',
          it.input_is_original ? 'original, outside the folder' : null));
      }
      media.appendChild(audioClip('reply', it.reply_href, 'reply audio'));
      if (it.reply_text !== null) {
        var p = el('p', 'reply-text', it.reply_text + (it.reply_text_truncated ? ' … (cut; full text in text/)' : ''));
        p.title = 'click to show the whole reply';
        p.addEventListener('click', function () { p.classList.add('open'); p.removeAttribute('title'); });
        media.appendChild(p);
      }
    }
    tr.appendChild(media);
    return tr;
  }

  function buildHaystack() {
    haystack = new Array(items.length);
    for (var i = 0; i < items.length; i++) {
      var it = items[i];
      haystack[i] = [it.id, it.state, it.status, it.reason, it.error_code, it.error_message, it.request_id,
        it.reply_text].filter(function (s) { return s !== null && s !== undefined; }).join('\n').toLowerCase();
    }
  }

  function matches(i, q, want, scope) {
    var it = items[i];
    if (scope === 'run' && !it.in_run) { return false; }
    if (want === 'retried') { if (!(it.attempts > 1)) { return false; } } else if (want && it.state !== want) { return false; }
    if (!q) { return true; }
    if (haystack[i].indexOf(q) >= 0) { return true; }
    return lowerTextHas(it.prompt, q) || lowerTextHas(it.system, q);
  }

  function apply() {
    var q = textBox.value.trim().toLowerCase();
    var want = statusBox.value;
    var scope = scopeBox ? scopeBox.value : 'folder';
    if (q && haystack === null) { buildHaystack(); }
    if (!q && !want && scope !== 'run') {
      view = order;
    } else {
      view = [];
      for (var n = 0; n < order.length; n++) {
        if (matches(order[n], q, want, scope)) { view.push(order[n]); }
      }
    }
    page = 0;
    render();
    window.reportApplied = (window.reportApplied || 0) + 1; // the tests wait for this instead of sleeping
  }

  function render() {
    var size = parseInt(sizeBox.value, 10);
    var pages = Math.max(1, Math.ceil(view.length / size));
    if (page >= pages) { page = pages - 1; }
    var frag = document.createDocumentFragment();
    var end = Math.min(view.length, (page + 1) * size);
    for (var k = page * size; k < end; k++) { frag.appendChild(buildRow(items[view[k]])); }
    tbody.textContent = '';
    tbody.appendChild(frag);
    var scoped = scopeBox && scopeBox.value === 'run' ? meta.run_item_count : null;
    var total = items.length;
    countEl.textContent = view.length === total ? total + ' rows'
      : view.length + ' of ' + total + ' rows shown' + (scoped !== null ? ' (this run\u2019s manifest)' : '');
    pageInfo.textContent = view.length === 0 ? '' : 'rows ' + (page * size + 1) + '\u2013' + end + ', page ' + (page + 1) + ' of ' + pages;
    prevBtn.disabled = page === 0;
    nextBtn.disabled = page >= pages - 1;
  }

  function sortBy(key) {
    if (sortKey === key) { sortDir = -sortDir; } else { sortKey = key; sortDir = 1; }
    var type = null;
    headers.forEach(function (th) {
      if (th.getAttribute('data-key') === key) {
        th.setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending');
        type = th.getAttribute('data-type');
      } else {
        th.removeAttribute('aria-sort');
      }
    });
    var keys = items.map(function (it) { return sortValue(it, key); });
    order = baseOrder.slice();
    order.sort(function (a, b) {
      var x = keys[a], y = keys[b];
      var xn = x === null || x === undefined, yn = y === null || y === undefined;
      if (xn || yn) { return xn === yn ? a - b : (xn ? 1 : -1); } // empty cells last either way
      var c = type === 'num' ? x - y : collator.compare(String(x), String(y));
      return c !== 0 ? c * sortDir : a - b;
    });
    apply();
  }

  headers.forEach(function (th) {
    var key = th.getAttribute('data-key');
    var b = th.querySelector('button');
    if (key && b) { b.addEventListener('click', function () { sortBy(key); }); }
  });
  var timer = null;
  textBox.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 150);
  });
  statusBox.addEventListener('change', apply);
  sizeBox.addEventListener('change', render);
  prevBtn.addEventListener('click', function () { page--; render(); });
  nextBtn.addEventListener('click', function () { page++; render(); });
  function showScope() {
    var s = scopeBox.value;
    Array.prototype.forEach.call(document.querySelectorAll('section.totals[data-scope]'), function (sec) {
      sec.hidden = sec.getAttribute('data-scope') !== s;
    });
    apply();
  }
  if (scopeBox) { scopeBox.addEventListener('change', showScope); }
  Array.prototype.forEach.call(document.querySelectorAll('.card[data-status]'), function (card) {
    card.addEventListener('click', function () {
      var s = card.getAttribute('data-status');
      statusBox.value = s === 'all' ? '' : s;
      apply();
      table.scrollIntoView({ block: 'start' });
    });
  });
  var t1 = performance.now();
  if (scopeBox) { showScope(); } else { apply(); }
  var t2 = performance.now();
  // Timings for the tests (ms): read the rows, build the first page; layout follows after the script.
  window.reportTiming = { parse: t1 - t0, build: t2 - t1, items: items.length };
  document.documentElement.setAttribute('data-ready', 'true');
}());
