// "Copy link" for the page's address (shown in a text box, for copying by hand without
// this script), and "Print" on the print view. Nothing leaves the browser.
(function () {
  "use strict";
  // The page's words (js/page-strings.js, on pages not in English), else English.
  var t =
    window.locatorText ||
    function (key, english) {
      return english;
    };
  var button = document.querySelector("button.copy-link");
  var status = document.getElementById("copy-status");

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function copyByHand(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (ignored) {
      return false;
    }
  }

  if (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { say(t("link_copied", "Link copied.")); };
      var failed = function () {
        say(copyByHand(field)
          ? t("link_copied", "Link copied.")
          : t("copy_by_hand", "Select the link above and copy it."));
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, failed);
      } else {
        failed();
      }
    });
  }

  var printButton = document.querySelector("button.print-now");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }
})();
