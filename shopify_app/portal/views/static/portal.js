(function () {
  "use strict";
  // Script-driven navigation: forms are sent with fetch and the answer's portal replaces this
  // one, while the address bar shows the page's own path (never the session). Back, Reload and
  // a second tab then show that page again using the session kept in this browser's storage.
  // Without script every form still posts and answers a whole page.
  if (window.spPortal) { window.spPortal.boot(); return; }
  var KEY = "sp-portal-session";
  var RESTORABLE = { login_required: 1, session_required: 1 };

  function root() { return document.getElementById("sp-portal"); }
  function keep(value) {
    try { if (value) { localStorage.setItem(KEY, value); } else { localStorage.removeItem(KEY); } } catch (e) { /* storage off */ }
  }
  function kept() { try { return localStorage.getItem(KEY); } catch (e) { return null; } }
  function sessionIn(node) {
    var input = node.querySelector("input[name=session]");
    return input ? input.value : null;
  }
  function friendlyCode(node) {
    var friendly = node.querySelector('[data-testid="friendly"]');
    return friendly ? friendly.getAttribute("data-code") : null;
  }

  function settle(node, afterAction) {
    node.setAttribute("data-sp-rendered", String(Math.random()).slice(2));
    var value = sessionIn(node);
    if (value) { keep(value); }
    var steps = node.querySelectorAll(".sp-step");
    for (var i = 0; i < steps.length; i += 1) { steps[i].hidden = false; }
    hideRefresh(node);
    var outcome = document.getElementById("sp-outcome");
    var focus = node.getAttribute("data-focus");
    var target = focus ? document.getElementById(focus) : null;
    if (target && target.tagName === "DETAILS") { target.open = true; }
    if (outcome) {
      outcome.focus();
    } else if (target) {
      var summary = target.tagName === "DETAILS" ? target.querySelector("summary") : null;
      target.scrollIntoView();
      (summary || target).focus();
    } else if (afterAction) {
      var heading = document.getElementById("sp-heading");
      if (heading) { heading.focus(); }
    }
  }

  function swap(html, push, afterAction) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("sp-portal");
    var current = root();
    if (!fresh || !current) { return false; }
    var names = [];
    for (var i = 0; i < fresh.attributes.length; i += 1) { names.push(fresh.attributes[i].name); }
    while (current.attributes.length) { current.removeAttribute(current.attributes[0].name); }
    for (var j = 0; j < names.length; j += 1) { current.setAttribute(names[j], fresh.getAttribute(names[j])); }
    current.innerHTML = fresh.innerHTML;
    var title = doc.querySelector("title");
    if (title && title.textContent) { document.title = title.textContent; }
    var path = current.getAttribute("data-view-path");
    if (path !== null && window.history && history.pushState) {
      if (push && path !== window.location.pathname) {
        history.pushState({ sp: path }, "", path);
      } else {
        history.replaceState({ sp: path }, "", path);
      }
    }
    settle(current, afterAction);
    return true;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "text/html", "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (response) { return response.text(); });
  }

  function busy(node, form, submitter) {
    node.setAttribute("aria-busy", "true");
    // Every control of this subscription waits while a change runs; the pressed one says why.
    var controls = node.querySelectorAll("button, input, select, textarea");
    for (var i = 0; i < controls.length; i += 1) {
      if (controls[i].type !== "hidden") { controls[i].disabled = true; }
    }
    if (submitter) {
      var isAction = /\/contracts\/[0-9]+\/[a-z_]+$/.test(form.getAttribute("action") || "");
      submitter.setAttribute("data-label", submitter.textContent);
      submitter.textContent = node.getAttribute(isAction ? "data-busy" : "data-loading") || submitter.textContent;
    }
  }

  function onSubmit(event) {
    var form = event.target;
    var node = root();
    if (!node || !node.contains(form) || !window.fetch || !window.DOMParser) { return; }
    event.preventDefault();
    if (form.getAttribute("data-submitting") === "1") { return; }
    form.setAttribute("data-submitting", "1");
    var submitter = event.submitter;
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    var body = new URLSearchParams(data).toString();
    var action = (submitter && submitter.getAttribute("formaction")) || form.getAttribute("action") ||
      window.location.pathname;
    var isChange = /\/contracts\/[0-9]+\/[a-z_]+$/.test(action);
    busy(node, form, event.submitter || form.querySelector('button[type="submit"]'));
    post(action, body).then(function (html) {
      if (!swap(html, true, isChange)) { throw new Error("no portal in the answer"); }
    }).catch(function () {
      // The network or the proxy failed us: let the browser send the form itself.
      var controls = node.querySelectorAll("[disabled]");
      for (var i = 0; i < controls.length; i += 1) { controls[i].disabled = false; }
      form.submit();
    });
  }

  function show(path, value, push) {
    return post(path, "session=" + encodeURIComponent(value)).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.getElementById("sp-portal");
      if (!fresh || RESTORABLE[friendlyCode(fresh)] || friendlyCode(fresh) === "session_expired" ||
          friendlyCode(fresh) === "session_invalid") {
        keep(null);
        return false;
      }
      return swap(html, push, false);
    });
  }

  function boot() {
    var node = root();
    if (!node) { return; }
    // The continue page: scanners that only fetch never run this; people's browsers POST at once.
    var auto = document.getElementById("sp-continue-form");
    if (auto && auto.getAttribute("data-submitting") !== "1") {
      if (window.fetch && window.DOMParser) {
        auto.setAttribute("data-submitting", "1");
        post(auto.getAttribute("action"), new URLSearchParams(new FormData(auto)).toString())
          .then(function (html) { if (!swap(html, false, false)) { throw new Error("no portal"); } })
          .catch(function () { auto.submit(); });
      } else {
        auto.setAttribute("data-submitting", "1");
        auto.submit();
      }
      return;
    }
    // Reload or a copied URL in a new tab: no session came with the GET; show the page with
    // the one this browser keeps, if it still works.
    var value = kept();
    if (RESTORABLE[friendlyCode(node)] && value && window.fetch) {
      show(window.location.pathname, value, false).then(function (ok) {
        if (!ok) { settle(node, false); }
      }, function () { settle(node, false); });
      return;
    }
    if (window.history && history.replaceState && node.getAttribute("data-view-path") !== null) {
      history.replaceState({ sp: node.getAttribute("data-view-path") }, "", window.location.href);
    }
    settle(node, false);
  }

  // The address form follows its country: once the choice settles, the same page is asked
  // for that country's fields (a view: nothing saved) and only the form is replaced, with
  // what was typed and the focus kept on the country. Without script its button does this.
  function hideRefresh(node) {
    var buttons = node.querySelectorAll("[data-address-refresh]");
    for (var i = 0; i < buttons.length; i += 1) { buttons[i].hidden = true; }
  }
  var reshaping = null;
  function reshape(select) {
    var form = select.form;
    var button = form ? form.querySelector("[data-address-refresh]") : null;
    if (!button || !window.fetch || !window.DOMParser) { return; }
    var data = new FormData(form);
    data.append(button.name, button.value);
    var id = select.id;
    post(button.getAttribute("formaction"), new URLSearchParams(data).toString()).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.getElementById(id);
      var freshForm = fresh ? fresh.form || fresh.closest("form") : null;
      var current = document.getElementById(id);
      if (!freshForm || !current || !current.form) { return; }
      var form = current.form;
      var focused = document.activeElement;
      form.innerHTML = freshForm.innerHTML;
      hideRefresh(form);
      // The focus stays on the country unless the customer has moved on meanwhile.
      var again = document.getElementById(id);
      if (again && (!focused || focused === current || focused === document.body ||
          !document.contains(focused))) { again.focus(); }
    }).catch(function () { if (button) { button.hidden = false; } });
  }
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select || !select.hasAttribute || !select.hasAttribute("data-address-country")) { return; }
    if (reshaping) { clearTimeout(reshaping); }
    // Arrow keys change a closed select at each press: wait until the choice settles.
    reshaping = setTimeout(function () { reshaping = null; reshape(select); }, 350);
  });
  document.addEventListener("submit", onSubmit);
  document.addEventListener("click", function (event) {
    var step = event.target.closest ? event.target.closest(".sp-step") : null;
    if (!step) { return; }
    var input = document.getElementById(step.getAttribute("aria-controls"));
    if (!input) { return; }
    if (step.getAttribute("data-step") === "1") { input.stepUp(); } else { input.stepDown(); }
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
  window.addEventListener("popstate", function (event) {
    var node = root();
    var value = node ? sessionIn(node) || kept() : kept();
    if (!event.state || typeof event.state.sp !== "string" || !value) { return; }
    show(window.location.pathname, value, false).then(function (ok) {
      if (!ok) { window.location.reload(); }
    }, function () { window.location.reload(); });
  });
  window.spPortal = { boot: boot };
  boot();
})();
