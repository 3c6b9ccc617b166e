// Opens every tooltip and popup of every Leaflet map in the page and in its srcdoc iframes,
// plays the time slider, then reports (after a pause for failed image loads): whether any
// payload ran (window.__pwned, document.title), the text shown, and every error.
(function () {
  var errors = window.__bfErrors;

  function mapsOf(w) {
    return Object.keys(w).map(function (k) { try { return w[k]; } catch (e) { return null; } })
      .filter(function (v) { return w.L && v instanceof w.L.Map; });
  }
  function shown(w, texts) {
    w.document.querySelectorAll('.leaflet-tooltip, .leaflet-popup-content').forEach(function (el) {
      texts[el.textContent] = 1;
    });
  }
  function where(layer) {
    if (layer.getLatLng) { return layer.getLatLng(); }
    if (layer.getBounds && layer.getBounds().isValid()) { return layer.getBounds().getCenter(); }
    return null;
  }
  function poke(w, map, layer, texts) {
    var at = where(layer);
    if (!at) { return; }
    ['mouseover', 'click'].forEach(function (type) {
      try { layer.fire(type, {latlng: at}, true); } catch (e) { errors.push(type + ': ' + e); }
      shown(w, texts);
    });
  }
  function pokeAll(w, map, texts, only) {
    var layers = [];
    map.eachLayer(function (l) { if (!only || only(l)) { layers.push(l); } });
    layers.forEach(function (l) { poke(w, map, l, texts); });
  }
  function onTimeline(l) { return l.feature && l.feature.properties && l.feature.properties.times; }
  function probeMap(w, map, texts) {
    pokeAll(w, map, texts);
    var td = map.timeDimension;
    if (!td) { return; }
    for (var i = 0; i < td.getAvailableTimes().length; i++) {
      td.setCurrentTimeIndex(i);
      pokeAll(w, map, texts, onTimeline);
    }
  }
  function probeWindow(w) {
    var texts = {};
    var maps = mapsOf(w);
    maps.forEach(function (m) {
      try { probeMap(w, m, texts); } catch (e) { errors.push('probe: ' + e); }
    });
    texts[w.document.body.textContent] = 1;
    return {maps: maps.length, texts: texts};
  }
  function finish(found) {
    var frames = Array.prototype.map.call(document.querySelectorAll('iframe'), function (f) {
      return {pwned: f.contentWindow.__pwned || null, title: f.contentDocument.title};
    });
    var out = document.createElement('pre');
    out.id = 'bf-probe';
    out.textContent = JSON.stringify({
      pwned: window.__pwned || null, title: document.title, frames: frames,
      maps: found.maps, texts: Object.keys(found.texts), errors: errors,
    });
    document.body.appendChild(out);
  }
  window.addEventListener('load', function () {
    var found = {maps: 0, texts: {}};
    [window].concat(Array.prototype.map.call(document.querySelectorAll('iframe'),
      function (f) { return f.contentWindow; })).forEach(function (w) {
      try {
        var one = probeWindow(w);
        found.maps += one.maps;
        Object.keys(one.texts).forEach(function (t) { found.texts[t] = 1; });
      } catch (e) { errors.push('window: ' + e); }
    });
    setTimeout(function () { finish(found); }, 1000);
  });
})();
