(function () {
  'use strict';
  var t0 = performance.now();
  window.reportStart = t0;
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var items = data.items;
  var table = document.getElementById('items');
  var tbody = table.tBodies[0];
  var textBox = document.getElementById('filter-text');
  var statusBox = document.getElementById('filter-status');
  var countEl = document.getElementById('row-count');
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  var rows = new Array(items.length);
  var haystack = new Array(items.length);
  var order = items.map(function (_, i) { return i; });
  var sortKey = null;
  var sortDir = 1;

  // Every piece of data reaches the page through textContent or setAttribute, never as markup.
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function token(s) { return String(s).toLowerCase().replace(/[^a-z0-9_-]/g, '_'); }
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

  function audioClip(label, href, what) {
    var line = el('div', 'clip');
    line.appendChild(el('span', 'clip-label', label));
    var h = safeHref(href);
    if (h) {
      var slot = el('span', 'audio-slot');
      slot.setAttribute('data-src', h);
      slot.setAttribute('aria-label', what);
      line.appendChild(slot);
    } else {
      line.appendChild(el('span', 'missing', what + ' not found'));
    }
    return line;
  }

  // Audio players are created when their row scrolls near the viewport, so a batch of thousands of
  // items does not build thousands of media elements up front.
  function fillSlots(container) {
    var slots = container.querySelectorAll('span.audio-slot');
    for (var k = 0; k < slots.length; k++) {
      var a = document.createElement('audio');
      a.controls = true;
      a.preload = 'none';
      a.setAttribute('src', slots[k].getAttribute('data-src'));
      a.setAttribute('aria-label', slots[k].getAttribute('aria-label'));
      slots[k].parentNode.replaceChild(a, slots[k]);
    }
  }
  var observer = 'IntersectionObserver' in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      if (e.isIntersecting) { fillSlots(e.target); observer.unobserve(e.target); }
    });
  }, { rootMargin: '600px 0px' }) : null;

  function buildRow(it) {
    var tr = document.createElement('tr');
    tr.className = 'row-' + token(it.state);
    var id = el('td', 'id', it.id);
    if (it.segment !== null) { id.appendChild(el('div', 'sub', 'segment ' + it.segment)); }
    if (it.manifest_line !== null) { id.appendChild(el('div', 'sub', 'manifest line ' + it.manifest_line)); }
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

    var err = el('td', 'err');
    if (it.error_code !== null) {
      err.appendChild(el('code', null, it.error_code));
      if (it.http_status !== null) { err.appendChild(document.createTextNode(' HTTP ' + it.http_status)); }
      if (it.error_message) { err.appendChild(el('div', null, it.error_message)); }
    }
    tr.appendChild(err);

    tr.appendChild(numCell(num(it.input_seconds, 2)));
    tr.appendChild(numCell(num(it.seconds_sent, 2)));
    tr.appendChild(numCell(num(it.prompt_tokens)));
    tr.appendChild(numCell(num(it.completion_tokens), it.total_tokens === null ? '' : 'total ' + it.total_tokens));
    tr.appendChild(numCell(it.cost === null ? '' : it.cost + ' ' + it.currency));
    tr.appendChild(numCell(it.latency_ms === null ? '' : it.latency_ms + ' ms'));
    tr.appendChild(numCell(num(it.attempts)));

    var media = el('td', 'media');
    if (it.state === 'ok') {
      media.appendChild(audioClip('input', it.input_href, 'input audio'));
      media.appendChild(audioClip('reply', it.reply_href, 'reply audio'));
      if (it.reply_text !== null) {
        var p = el('p', 'reply-text', it.reply_text + (it.reply_text_truncated ? ' … (cut; full text in text/)' : ''));
        p.title = 'click to show the whole reply';
        p.addEventListener('click', function () { p.classList.add('open'); p.removeAttribute('title'); });
        media.appendChild(p);
      }
      if (observer) { observer.observe(media); } else { fillSlots(media); }
    }
    tr.appendChild(media);
    return tr;
  }

  function apply(reorder) {
    var q = textBox.value.trim().toLowerCase();
    var want = statusBox.value;
    var shown = 0;
    var frag = reorder ? document.createDocumentFragment() : null;
    for (var n = 0; n < order.length; n++) {
      var i = order[n];
      var visible = (!want || items[i].state === want) && (!q || haystack[i].indexOf(q) >= 0);
      if (rows[i].hidden === visible) { rows[i].hidden = !visible; }
      if (visible) { shown++; }
      if (frag) { frag.appendChild(rows[i]); }
    }
    if (frag) { tbody.appendChild(frag); }
    countEl.textContent = shown === items.length ? items.length + ' items'
      : shown + ' of ' + items.length + ' items shown';
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
    order = items.map(function (_, i) { return i; });
    order.sort(function (a, b) {
      var x = keys[a], y = keys[b];
      var xn = x === null || x === undefined, yn = y === null || y === undefined;
      if (xn || yn) { return xn === yn ? a - b : (xn ? 1 : -1); } // empty cells last either way
      var c = type === 'num' ? x - y : collator.compare(String(x), String(y));
      return c !== 0 ? c * sortDir : a - b;
    });
    apply(true);
  }

  var t1 = performance.now();
  var frag = document.createDocumentFragment();
  items.forEach(function (it, i) {
    rows[i] = buildRow(it);
    haystack[i] = [it.id, it.state, it.status, it.reason, it.error_code, it.error_message, it.request_id,
      it.reply_text].filter(function (s) { return s !== null && s !== undefined; }).join('\n').toLowerCase();
    frag.appendChild(rows[i]);
  });
  tbody.appendChild(frag);

  headers.forEach(function (th) {
    var key = th.getAttribute('data-key');
    var b = th.querySelector('button');
    if (key && b) { b.addEventListener('click', function () { sortBy(key); }); }
  });
  var timer = null;
  textBox.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { apply(false); }, 120);
  });
  statusBox.addEventListener('change', function () { apply(false); });
  Array.prototype.forEach.call(document.querySelectorAll('.card[data-status]'), function (card) {
    card.addEventListener('click', function () {
      var s = card.getAttribute('data-status');
      statusBox.value = s === 'all' ? '' : s;
      apply(false);
      table.scrollIntoView({ block: 'start' });
    });
  });
  apply(false);
  var t2 = performance.now();
  // Timings for the tests (ms): parse the data, build the rows; layout follows after the script.
  window.reportTiming = { parse: t1 - t0, build: t2 - t1, items: items.length };
  document.documentElement.setAttribute('data-ready', 'true');
}());
