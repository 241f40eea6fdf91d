// The print button of the printable plan van aanpak (issue 14); no inline script (CSP).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("plan-print-button");
  if (button) button.addEventListener("click", function () { window.print(); });
});
