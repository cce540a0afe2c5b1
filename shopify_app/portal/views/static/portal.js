(function () {
  "use strict";
  var root = document.getElementById("sp-portal");
  if (!root) { return; }
  // The continue page: scanners that only fetch never run this; people's browsers POST at once.
  var auto = document.getElementById("sp-continue-form");
  if (auto && auto.getAttribute("data-submitting") !== "1") {
    auto.setAttribute("data-submitting", "1");
    auto.submit();
  }
  // One submission per form: the session nonce refuses a second one anyway.
  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.getAttribute("data-submitting") === "1") { event.preventDefault(); return; }
    form.setAttribute("data-submitting", "1");
    var buttons = form.querySelectorAll("button");
    for (var i = 0; i < buttons.length; i += 1) { buttons[i].setAttribute("aria-disabled", "true"); }
  });
  // Deep links: move focus to the section the link asked for.
  var focus = root.getAttribute("data-focus");
  var target = focus ? document.getElementById(focus) : null;
  if (target) {
    if (target.tagName === "DETAILS") { target.open = true; }
    target.scrollIntoView();
    target.focus();
  }
})();
