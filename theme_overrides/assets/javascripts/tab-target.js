// Material opens the content tab named in the address's #hash with an inline script after
// the page's content (partials/javascripts/content.html); the same, from a file of the
// site, because the Content-Security-Policy (main.html) allows no inline script.
(function () {
  "use strict";
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) {
    target.checked = target.name.indexOf("__tabbed_") === 0;
  }
})();
