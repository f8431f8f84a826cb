// Asks before an irreversible dossier action is sent: every <form data-confirm="…"> shows its question first.
// No inline script (the Content-Security-Policy forbids it); without JavaScript the form is sent as it is.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form && form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
}, true);
