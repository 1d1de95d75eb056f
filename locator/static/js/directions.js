// Directions in the phone's own maps app: a geo: link on Android, Apple Maps on iPhone and
// iPad. Elsewhere (and without this script) the link stays the web map the page was sent
// with. Only the links change: nothing is asked of any map service until the person taps.
(function () {
  "use strict";
  var agent = navigator.userAgent || "";
  var android = /Android/i.test(agent);
  // iPadOS asks for desktop pages as a Mac: a Mac with a touch screen is an iPad.
  var apple = /iPhone|iPad|iPod/.test(agent) ||
    (/Macintosh/.test(agent) && navigator.maxTouchPoints > 1);
  if (!android && !apple) {
    return;
  }

  function platformLink(lat, lon, name) {
    var label = encodeURIComponent(name || "");
    if (android) {
      return "geo:" + lat + "," + lon + "?q=" + lat + "," + lon + "(" + label + ")";
    }
    return "https://maps.apple.com/?daddr=" + lat + "," + lon + (label ? "&q=" + label : "");
  }

  var links = document.querySelectorAll("a[data-directions]");
  for (var i = 0; i < links.length; i += 1) {
    var link = links[i];
    var lat = Number(link.getAttribute("data-lat"));
    var lon = Number(link.getAttribute("data-lon"));
    if (isFinite(lat) && isFinite(lon)) {
      link.href = platformLink(lat, lon, link.getAttribute("data-name"));
      link.setAttribute("data-directions-app", android ? "android" : "apple");
    }
  }
})();
