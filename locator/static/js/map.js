/*
 * The map of the centers on a page, drawn with Leaflet from this site's own static files.
 * It repeats the list: every center on it is also a link in the list, so the map is never
 * the only way to reach anything. Pointing at or focusing a result lights up its marker.
 */
(function () {
  "use strict";
  // The page's words (js/page-strings.js, on pages not in English), else English.
  var t =
    window.locatorText ||
    function (key, english) {
      return english;
    };

  var box = document.getElementById("map");
  if (!box || !window.L) {
    return;
  }
  var points = Array.prototype.filter.call(
    document.querySelectorAll("[data-map-point]"),
    function (element) {
      return isFinite(parseFloat(element.dataset.lat)) && isFinite(parseFloat(element.dataset.lon));
    }
  );
  if (!points.length) {
    return;
  }

  function escapeText(text) {
    // Leaflet writes the attribution as HTML; the setting is plain text.
    var holder = document.createElement("span");
    holder.textContent = text;
    return holder.innerHTML;
  }

  function popupFor(element) {
    var content = document.createElement("div");
    var name = document.createElement("a");
    name.href = element.dataset.href;
    name.textContent = element.dataset.name;
    name.className = "map-popup-name";
    content.appendChild(name);
    if (element.dataset.distance) {
      var distance = document.createElement("p");
      distance.textContent = t("miles_away", "{miles} mi away").replace(
        "{miles}", element.dataset.distance);
      content.appendChild(distance);
    }
    return content;
  }

  function markerFor(element) {
    var number = element.dataset.number || "";
    var label = (number ? number + ". " : "") + element.dataset.name;
    var icon = L.divIcon({
      className: "map-marker",
      html: number ? "<span>" + escapeText(number) + "</span>" : "",
      iconSize: [32, 32],
      iconAnchor: [16, 16],
      popupAnchor: [0, -14],
    });
    var latLng = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
    return L.marker(latLng, { icon: icon, title: label, riseOnHover: true }).bindPopup(
      popupFor(element)
    );
  }

  function legendFor(place) {
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var note = L.DomUtil.create("p", "map-legend");
      var ring = L.DomUtil.create("span", "map-legend-ring", note);
      ring.setAttribute("aria-hidden", "true");
      note.appendChild(document.createTextNode(place));
      return note;
    };
    return legend;
  }

  function pairUp(element, marker) {
    function on() {
      element.classList.add("is-highlighted");
      marker.setZIndexOffset(1000);
      var icon = marker.getElement();
      if (icon) {
        icon.classList.add("is-highlighted");
      }
    }
    function off() {
      element.classList.remove("is-highlighted");
      marker.setZIndexOffset(0);
      var icon = marker.getElement();
      if (icon) {
        icon.classList.remove("is-highlighted");
      }
    }
    element.addEventListener("mouseenter", on);
    element.addEventListener("mouseleave", off);
    element.addEventListener("focusin", on);
    element.addEventListener("focusout", off);
    marker.on("mouseover", on);
    marker.on("mouseout", off);
  }

  box.hidden = false;
  var layout = box.closest(".results-with-map");
  if (layout) {
    layout.classList.add("has-map");
  }
  var map = L.map(box, { scrollWheelZoom: false });
  map.attributionControl.setPrefix(false);
  L.tileLayer(box.dataset.tileUrl, {
    attribution: escapeText(box.dataset.attribution || ""),
    maxZoom: 18,
  }).addTo(map);
  var bounds = [];
  points.forEach(function (element) {
    var marker = markerFor(element).addTo(map);
    bounds.push(marker.getLatLng());
    pairUp(element, marker);
  });
  var originLat = parseFloat(box.dataset.originLat);
  var originLon = parseFloat(box.dataset.originLon);
  if (isFinite(originLat) && isFinite(originLon)) {
    // The searched place: a plain ring, not a target, so that distances can be read.
    L.circleMarker([originLat, originLon], {
      className: "map-origin",
      radius: 9,
      interactive: false,
    }).addTo(map);
    if (box.dataset.originLabel) {
      legendFor(box.dataset.originLabel).addTo(map); // a corner note: a label would hide markers
    }
    bounds.push(L.latLng(originLat, originLon));
  }
  map.fitBounds(L.latLngBounds(bounds), { padding: [32, 32], maxZoom: 14 });
  box.setAttribute("data-markers", String(bounds.length));
})();
