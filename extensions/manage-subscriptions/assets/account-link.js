// Moves the app embed's link to the top of the account page's main content.
(function () {
  var link = document.getElementById('ssp-account-link');
  var main = document.querySelector('main');
  if (link && main) main.insertBefore(link, main.firstChild);
})();
