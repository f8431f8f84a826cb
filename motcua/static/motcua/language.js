// Sends the language form as soon as another language is picked (no inline handler: the CSP forbids it).
document.addEventListener("change", function (event) {
  var select = event.target;
  if (select && select.id === "lang" && select.form) {
    select.form.submit();
  }
});
