/*
 * Type-ahead suggestions for search boxes: a progressive enhancement.
 *
 * Any <input type="search" data-suggest="URL"> becomes an ARIA 1.2
 * combobox with a listbox of the titles and also-called names that start
 * with what the reader types. URL is the suggestions address of the page's
 * language ({% url 'library:search_suggest' %}, e.g. /en/search/suggest/),
 * which answers GET URL?q=… with JSON:
 *   {"query": "…", "suggestions": [{"name", "title", "url", "is_title"}]}
 *
 * Keyboard: Down/Up move through the suggestions (Alt+Down opens them),
 * Enter opens the chosen article, Escape closes the list (or, when it is
 * closed, empties the box). A click opens the article too. Without a
 * chosen suggestion, Enter submits the form as usual, so the form works
 * the same without this script.
 *
 * Include it with <script src="{% static 'js/search-suggest.js' %}" defer>
 * and static/css/search.css (the list's styles). No inline script is
 * needed (CSP script-src 'self').
 */
(function () {
  "use strict";

  var MIN_LENGTH = 2;
  var DELAY = 150; // ms after the last keystroke
  var counter = 0;

  function enhance(input) {
    if (input.dataset.suggestReady) return;
    input.dataset.suggestReady = "1";
    var endpoint = input.dataset.suggest;
    if (!endpoint) return;
    counter += 1;
    if (!input.id) input.id = "search-suggest-input-" + counter;
    var host = input.parentNode;
    host.classList.add("suggest-host");

    var list = document.createElement("ul");
    list.id = input.id + "-suggestions";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var label = input.labels && input.labels[0];
    if (label) {
      if (!label.id) label.id = input.id + "-label";
      list.setAttribute("aria-labelledby", label.id);
    }
    input.insertAdjacentElement("afterend", list);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    var items = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var cache = new Map();
    var lastQuery = null;

    function place() {
      list.style.left = input.offsetLeft + "px";
      list.style.top = input.offsetTop + input.offsetHeight + "px";
      list.style.width = input.offsetWidth + "px";
    }

    function open() {
      if (!items.length) return;
      place();
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function setActive(index) {
      var options = list.children;
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "false");
      }
      active = index;
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[active].id);
        options[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function go(index) {
      var item = items[index];
      if (item) window.location.assign(item.url);
    }

    function render(suggestions) {
      items = suggestions;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.textContent = "";
      suggestions.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = list.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "suggestion-name";
        name.textContent = item.name;
        option.appendChild(name);
        if (!item.is_title && item.title !== item.name) {
          var title = document.createElement("span");
          title.className = "suggestion-title";
          title.textContent = item.title;
          option.appendChild(document.createTextNode(" "));
          option.appendChild(title);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box
        });
        option.addEventListener("click", function () {
          go(index);
        });
        list.appendChild(option);
      });
      if (items.length && document.activeElement === input) open();
      else close();
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (query.length < MIN_LENGTH) {
        render([]);
        return;
      }
      if (cache.has(query)) {
        render(cache.get(query));
        return;
      }
      if (controller) controller.abort();
      controller = typeof AbortController === "function" ? new AbortController() : null;
      var url = endpoint + (endpoint.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query);
      fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          var suggestions = Array.isArray(data.suggestions) ? data.suggestions : [];
          cache.set(query, suggestions);
          if (input.value.trim() === query) render(suggestions);
        })
        .catch(function () {
          /* No suggestions: the form still works. */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      var expanded = !list.hidden;
      switch (event.key) {
        case "ArrowDown":
        case "Down":
          if (!items.length) return;
          event.preventDefault();
          if (!expanded) {
            open();
            if (event.altKey) return;
          }
          setActive(active + 1 < items.length ? active + 1 : 0);
          break;
        case "ArrowUp":
        case "Up":
          if (!items.length) return;
          event.preventDefault();
          if (!expanded) open();
          setActive(active > 0 ? active - 1 : items.length - 1);
          break;
        case "Enter":
          if (expanded && active >= 0) {
            event.preventDefault();
            go(active);
          }
          break;
        case "Escape":
        case "Esc":
          if (expanded) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            lastQuery = null;
            render([]);
          }
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      close();
    });

    input.addEventListener("focus", function () {
      if (items.length && input.value.trim() === lastQuery) open();
    });

    window.addEventListener("resize", function () {
      if (!list.hidden) place();
    });
  }

  function init() {
    var inputs = document.querySelectorAll("input[type=search][data-suggest]");
    Array.prototype.forEach.call(inputs, enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
