/*
 * "Use my location": the browser's position fills the search box as coordinates and the
 * form is sent, to this site only. A refusal or a time-out leaves the text box as it was,
 * with a message; nothing is remembered.
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
  if (!input || !input.form || !navigator.geolocation || !window.isSecureContext) {
    return; // browsers give positions to secure pages only: no button that cannot work
  }
  var TIMEOUT_MS = 15000;
  var MESSAGES = {
    1: t("location_refused",
      "Your browser did not share your location. Type a ZIP code or a city instead."),
    2: t("location_unavailable",
      "Your location could not be found just now. Type a ZIP code or a city instead."),
    3: t("location_timeout",
      "Finding your location took too long. Type a ZIP code or a city instead."),
  };
  var button = document.createElement("button");
  var status = document.createElement("p");
  var field = input.closest(".field") || input.parentNode;
  var busy = false; // not `disabled`: a disabled button would drop the keyboard focus

  button.type = "button";
  button.className = "use-location";
  button.textContent = t("use_my_location", "Use my location");
  status.className = "location-status";
  status.setAttribute("role", "status");
  status.id = "location-status";
  field.appendChild(button);
  field.appendChild(status);

  function describeBy(id, on) {
    var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    ids = ids.filter(function (each) {
      return each !== id;
    });
    if (on) {
      ids.push(id);
    }
    if (ids.length) {
      input.setAttribute("aria-describedby", ids.join(" "));
    } else {
      input.removeAttribute("aria-describedby");
    }
  }

  function fail(error) {
    busy = false;
    button.removeAttribute("aria-busy");
    status.textContent = MESSAGES[error && error.code] || MESSAGES[2];
    status.classList.add("is-problem");
    describeBy(status.id, true);
    input.focus();
  }

  function send(position) {
    // Three decimals (about 100 m) are plenty for distances in miles, and say less.
    var latitude = position.coords.latitude.toFixed(3);
    var longitude = position.coords.longitude.toFixed(3);
    input.value = latitude + "," + longitude;
    status.textContent = t("location_searching", "Searching near your location…");
    if (input.form.requestSubmit) {
      input.form.requestSubmit();
    } else {
      input.form.submit();
    }
  }

  button.addEventListener("click", function () {
    if (busy) {
      return;
    }
    status.classList.remove("is-problem");
    describeBy(status.id, false);
    status.textContent = t("location_finding", "Finding your location…");
    busy = true;
    button.setAttribute("aria-busy", "true");
    navigator.geolocation.getCurrentPosition(send, fail, {
      enableHighAccuracy: false,
      timeout: TIMEOUT_MS,
      maximumAge: 600000,
    });
  });
})();
