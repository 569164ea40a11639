// Starts ReDoc on /redoc. A served file, not an inline script (Content-Security-Policy: default-src
// 'self'). ReDoc injects its styles at run time: they carry this response's nonce, which the page
// passes in data-nonce (browsers hide a nonce attribute from scripts).
(function () {
  "use strict";
  var root = document.getElementById("redoc");
  Redoc.init(root.getAttribute("data-openapi-url"), {nonce: root.getAttribute("data-nonce"), disableSearch: true}, root);
})();
