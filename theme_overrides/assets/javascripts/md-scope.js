// The four helpers Material's bundle expects before it runs (its
// partials/javascripts/base.html defines them in an inline script). Here they live in a
// file of the site, so that the Content-Security-Policy (main.html) allows no inline script
// at all: script injected into a page cannot run. The page's scope (its site root) is given
// by the data-scope attribute of this script's tag.
(function () {
  "use strict";
  var scope = new URL(document.currentScript.getAttribute("data-scope"), location);

  // A small string hash; only ever compared with values it made itself.
  function hash(text) {
    var value = 0;
    for (var i = 0; i < text.length; i++) {
      value = ((value << 5) - value + text.charCodeAt(i)) | 0;
    }
    return value;
  }

  function key(name, where) {
    return where.pathname + "." + name;
  }

  window.__md_scope = scope;
  window.__md_hash = function (text) {
    return hash(Array.from(text).join(""));
  };
  window.__md_get = function (name, storage, where) {
    storage = storage || localStorage;
    return JSON.parse(storage.getItem(key(name, where || scope)));
  };
  window.__md_set = function (name, value, storage, where) {
    storage = storage || localStorage;
    try {
      storage.setItem(key(name, where || scope), JSON.stringify(value));
    } catch (err) {
      // Storage full or disabled: the site works without remembering.
    }
  };
})();
