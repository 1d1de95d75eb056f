/*
 * Place suggestions for the search box: an ARIA 1.2 combobox with a list box.
 * Without this script the box is a plain text field and the search works the same.
 * Suggestions come from this site only (/api/v1/places), never from a third party.
 */
(function () {
  "use strict";
  // The page's words (js/page-strings.js, on pages not in English), else English.
  var t =
    window.locatorText ||
    function (key, english) {
      return english;
    };

  var input = document.getElementById("location");
  if (!input || !window.fetch || !input.form) {
    return;
  }
  var DEBOUNCE_MS = 200;
  var MIN_CHARACTERS = 2;
  var endpoint = input.getAttribute("data-suggest-url") || "/api/v1/places";
  var listbox = document.createElement("ul");
  var announcer = document.createElement("p");
  var wrapper = document.createElement("div");
  var places = [];
  var activeIndex = -1;
  var timer = null;
  var pending = null;
  var lastQuery = "";

  function setUp() {
    listbox.id = "location-suggestions";
    listbox.className = "suggestions";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", t("suggested_places", "Suggested places"));
    listbox.hidden = true;
    announcer.className = "visually-hidden";
    announcer.setAttribute("role", "status");
    announcer.setAttribute("aria-live", "polite");
    wrapper.className = "combobox";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    wrapper.appendChild(listbox);
    wrapper.parentNode.insertBefore(announcer, wrapper.nextSibling);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off"); // the browser's own list would cover ours
  }

  function optionId(index) {
    return "location-suggestion-" + index;
  }

  function close() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    activeIndex = -1;
  }

  function highlight(index) {
    var options = listbox.querySelectorAll("[role=option]");
    activeIndex = index;
    for (var i = 0; i < options.length; i += 1) {
      options[i].setAttribute("aria-selected", i === index ? "true" : "false");
    }
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", optionId(index));
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(index) {
    var place = places[index];
    if (!place) {
      return;
    }
    input.value = place.label;
    lastQuery = input.value.trim();
    close();
    announcer.textContent = t("place_chosen", "{place} chosen. Press Enter to search.")
      .replace("{place}", place.label);
    input.focus();
  }

  function optionFor(place, index) {
    var option = document.createElement("li");
    option.id = optionId(index);
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    option.textContent = place.label;
    if (place.description) {
      var detail = document.createElement("span");
      detail.className = "suggestion-detail";
      detail.textContent = " " + place.description;
      option.appendChild(detail);
    }
    option.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the focus in the text box
    });
    option.addEventListener("click", function () {
      choose(index);
    });
    return option;
  }

  function show(found) {
    places = found;
    listbox.textContent = "";
    if (!found.length) {
      close();
      announcer.textContent = "";
      return;
    }
    found.forEach(function (place, index) {
      listbox.appendChild(optionFor(place, index));
    });
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
    highlight(-1);
    announcer.textContent = found.length === 1
      ? t("one_place_suggested", "1 place suggested. Use the up and down arrow keys to choose.")
      : t("places_suggested", "{count} places suggested. Use the up and down arrow keys to choose.")
        .replace("{count}", found.length);
  }

  function wantsSuggestions(text) {
    // Coordinates and street addresses are searched as typed: no place list for them.
    return text.length >= MIN_CHARACTERS && !/[0-9]/.test(text.replace(/^[0-9]{1,5}$/, ""));
  }

  function ask(text) {
    if (pending) {
      pending.abort();
    }
    pending = window.AbortController ? new AbortController() : null;
    var url = endpoint + "?q=" + encodeURIComponent(text);
    fetch(url, { credentials: "same-origin", signal: pending ? pending.signal : undefined })
      .then(function (response) {
        return response.ok ? response.json() : { places: [] };
      })
      .then(function (body) {
        if (input.value.trim() === text && document.activeElement === input) {
          show(body.places || []);
        }
      })
      .catch(function () {
        // Offline or aborted: the text box works without suggestions.
      });
  }

  function onInput() {
    var text = input.value.trim();
    window.clearTimeout(timer);
    if (text === lastQuery) {
      return;
    }
    lastQuery = text;
    if (!wantsSuggestions(text)) {
      close();
      return;
    }
    timer = window.setTimeout(function () {
      ask(text);
    }, DEBOUNCE_MS);
  }

  function onKeyDown(event) {
    var open = !listbox.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!places.length) {
        return;
      }
      event.preventDefault();
      if (!open) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      var step = event.key === "ArrowDown" ? 1 : -1;
      var start = activeIndex === -1 && step === -1 ? places.length : activeIndex;
      highlight((start + step + places.length) % places.length);
    } else if (event.key === "Enter" && open && activeIndex >= 0) {
      event.preventDefault(); // accept the place; the next Enter searches
      choose(activeIndex);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  }

  setUp();
  input.addEventListener("input", onInput);
  input.addEventListener("keydown", onKeyDown);
  input.addEventListener("blur", close);
})();
