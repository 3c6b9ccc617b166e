(function () {
  var errors = window.__bfErrors;
  function count(sel) { return document.querySelectorAll(sel).length; }
  function play() {
    var maps = Object.keys(window).map(function (k) { return window[k]; })
      .filter(function (v) { return window.L && v instanceof L.Map; });
    var td = maps.length ? maps[0].timeDimension : null;
    if (!td) { return -1; }
    var most = 0;
    for (var i = 0; i < td.getAvailableTimes().length; i++) {
      td.setCurrentTimeIndex(i);
      most = Math.max(most, count('path.bf-timeline'));
    }
    return most;
  }
  window.addEventListener('load', function () {
    var out = document.createElement('pre');
    out.id = 'bf-probe';
    var report = {sites: count('.leaflet-marker-icon.bf-site'), leg_lines: count('path.bf-leg'),
                  no_fly: count('path.bf-nofly'), events: count('.bf-event') + count('path.bf-event-area'),
                  layers: Array.prototype.map.call(document.querySelectorAll('.leaflet-control-layers label'), function (l) { return l.textContent.trim(); })};
    try { report.timeline_max = play(); } catch (e) { errors.push('play: ' + e); }
    report.errors = errors;
    out.textContent = JSON.stringify(report);
    document.body.appendChild(out);
  });
})();
