/*
 * The page's words for its scripts: base.html writes them as a JSON block on pages not in
 * English and loads this file before the other scripts (deferred scripts run in order).
 * English pages skip both, and each script falls back to its own English words.
 */
(function () {
  "use strict";
  var strings = {};
  var block = document.getElementById("page-strings");
  try {
    strings = block ? JSON.parse(block.textContent) : {};
  } catch (ignored) {
    strings = {};
  }
  window.locatorText = function (key, english) {
    return strings[key] || english;
  };
})();
