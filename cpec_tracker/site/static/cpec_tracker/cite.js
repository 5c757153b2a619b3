// "Copy citation" on a record page: shows the button where the clipboard can be written and
// copies the citation's text. Without JavaScript the button stays hidden and the text can be
// selected as before. A file of its own, as the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  document.querySelectorAll(".copy-citation").forEach(function (holder) {
    var button = holder.querySelector("button[data-copy]");
    var status = holder.querySelector("[role=status]");
    var source = document.getElementById(button.dataset.copy);
    if (!source) {
      return;
    }
    holder.hidden = false;
    button.addEventListener("click", function () {
      var text = source.textContent.replace(/\s+/g, " ").trim();
      navigator.clipboard.writeText(text).then(
        function () { status.textContent = button.dataset.copied; },
        function () { status.textContent = button.dataset.failed; }
      );
    });
  });
})();
