/* The map of /map/: the places of the listed projects on the country outlines that ship with
   the site (and a deployment's own tiles, when it names a tile server). The list under the
   map stays the page's content and its keyboard path; the map only draws what it lists. */
(function () {
  "use strict";
  var container = document.getElementById("project-map");
  var data = document.getElementById("map-features");
  if (!container || !data || !window.L || !window.topojson) {
    return;
  }
  var features = JSON.parse(data.textContent);
  var figure = document.getElementById("project-map-figure");
  figure.hidden = false;

  var map = L.map(container, {
    zoomControl: false,
    scrollWheelZoom: false,
    minZoom: 2,
    maxZoom: 14,
    worldCopyJump: false,
  });
  container.setAttribute("role", "region");
  container.setAttribute("aria-label", container.dataset.label);
  var direction = document.documentElement.dir || "ltr";
  // The controls where the page's lines start: on the right in Urdu.
  L.control
    .zoom({
      position: direction === "rtl" ? "topright" : "topleft",
      zoomInTitle: container.dataset.zoomIn,
      zoomOutTitle: container.dataset.zoomOut,
    })
    .addTo(map);
  map.attributionControl.setPrefix(false);

  // The outlines under everything else, never clickable.
  map.createPane("outlines").style.zIndex = 250;
  fetch(container.dataset.outlines)
    .then(function (response) {
      return response.json();
    })
    .then(function (topology) {
      L.geoJSON(topojson.feature(topology, topology.objects.countries), {
        pane: "outlines",
        interactive: false,
        style: { className: "map-country" },
        attribution: escaped(container.dataset.outlinesCredit),
      }).addTo(map);
    });
  if (container.dataset.tileUrl) {
    L.tileLayer(container.dataset.tileUrl, {
      attribution: escaped(container.dataset.tileCredit),
    }).addTo(map);
  }

  var places = L.geoJSON(features, {
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, { radius: 7 });
    },
    style: function (feature) {
      var shape = feature.geometry.type === "Point" ? "map-point" : "map-shape";
      return { className: shape + " map-status-" + feature.properties.status };
    },
    onEachFeature: function (feature, layer) {
      layer.bindPopup(function () {
        return popup(feature.properties);
      });
    },
  }).addTo(map);

  // Leaflet names its popups' close button in English only.
  map.on("popupopen", function (event) {
    var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) {
      close.setAttribute("aria-label", container.dataset.close);
    }
  });

  if (places.getLayers().length) {
    map.fitBounds(places.getBounds(), { padding: [24, 24], maxZoom: 8 });
  } else {
    // Pakistan, where the corridor runs.
    map.fitBounds([
      [23.5, 60.8],
      [37.1, 77.8],
    ]);
  }

  // The popup shows the list's own link and place, in the page's direction.
  function popup(properties) {
    var box = document.createElement("div");
    box.dir = direction;
    var project = document.getElementById(properties.project);
    var place = document.getElementById(properties.place);
    if (project) {
      var link = project.querySelector(".map-project").cloneNode(true);
      box.appendChild(link);
      var status = project.querySelector(".status");
      if (status) {
        var line = document.createElement("div");
        line.textContent = status.textContent;
        box.appendChild(line);
      }
    }
    if (place) {
      var where = document.createElement("div");
      where.textContent = place.textContent.replace(/\s+/g, " ").trim();
      box.appendChild(where);
    }
    return box;
  }

  function escaped(text) {
    var span = document.createElement("span");
    span.textContent = text || "";
    return span.innerHTML;
  }
})();
