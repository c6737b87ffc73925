/* The change form's reading-grade panel, updated as the author types.
 *
 * Every two seconds, if a section body in the form differs from what was
 * last scored, posts the bodies of the sections shown in the panel to the
 * panel's data-score-url and puts the answers in their cells. Nothing is
 * saved; a failed request leaves the panel as it was. A file, not inline
 * script, for the admin's Content-Security-Policy.
 */
(function () {
  "use strict";
  var panel = document.getElementById("readability");
  if (!panel || !panel.dataset.scoreUrl || !window.fetch) {
    return;
  }
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  var cells = Array.prototype.slice.call(
    panel.querySelectorAll("td[data-section][data-language]")
  );

  function field(cell) {
    // The inline form of the section whose hidden id is the cell's section.
    var ids = document.querySelectorAll('input[name^="sections-"][name$="-id"]');
    for (var i = 0; i < ids.length; i++) {
      if (ids[i].value === cell.dataset.section) {
        var prefix = ids[i].name.slice(0, -"-id".length);
        return document.querySelector(
          '[name="' + prefix + "-body_" + cell.dataset.language + '"]'
        );
      }
    }
    return null;
  }

  function texts() {
    var found = [];
    cells.forEach(function (cell) {
      var input = field(cell);
      if (input) {
        found.push({
          key: cell.dataset.section + ":" + cell.dataset.language,
          language: cell.dataset.language,
          html: input.value,
        });
      }
    });
    return JSON.stringify({ texts: found });
  }

  var last = texts();
  var busy = false;

  function refresh() {
    var body = texts();
    if (busy || body === last) {
      return;
    }
    busy = true;
    fetch(panel.dataset.scoreUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": token ? token.value : "",
      },
      body: body,
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) {
          return;
        }
        last = body;
        cells.forEach(function (cell) {
          var found = data.scores[cell.dataset.section + ":" + cell.dataset.language];
          if (found) {
            cell.innerHTML = found.html;
          }
        });
        var count = panel.querySelector(".readability-count");
        if (count && data.summary) {
          count.textContent = data.summary;
        }
        var saved = panel.querySelector(".readability-saved");
        var live = panel.querySelector(".readability-live");
        if (saved && live) {
          saved.hidden = true;
          live.hidden = false;
        }
      })
      .catch(function () {})
      .then(function () {
        busy = false;
      });
  }

  window.setInterval(refresh, 2000);
})();
