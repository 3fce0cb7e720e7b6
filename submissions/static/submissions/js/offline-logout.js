/* Logging out (templates/includes/account_nav.html): with values or files still kept on this phone and not sent,
   warn and offer to send them first; then delete everything the form kept on the phone before logging out
   (the server also answers the logout with Clear-Site-Data). */
(function () {
  "use strict";
  var form = document.querySelector("form[data-offline-logout]");
  if (!form || !window.ntmStore) return;
  var data = form.dataset;
  var dialog = null;

  function leave() {
    window.ntmStore.forgetEverything().then(function () { form.submit(); });
  }
  function button(label, primary, action) {
    var node = document.createElement("button");
    node.type = "button";
    node.className = "button" + (primary ? " button-primary" : "");
    node.textContent = label;
    node.addEventListener("click", action);
    return node;
  }
  function warn(unsent) {
    var count = unsent.reduce(function (sum, item) { return sum + item.count; }, 0);
    if (dialog) dialog.parentNode.removeChild(dialog);
    dialog = document.createElement("dialog");
    dialog.className = "offline-logout";
    dialog.setAttribute("aria-labelledby", "offline-logout-title");
    var title = document.createElement("h2");
    title.id = "offline-logout-title";
    title.textContent = data.tTitle;
    var text = document.createElement("p");
    text.textContent = data.tWarning.replace("%s", count);
    var actions = document.createElement("p");
    actions.className = "offline-actions";
    actions.appendChild(button(data.tSend, true, function () {
      if (window.ntmOffline && document.getElementById("offline-config").dataset.submission === unsent[0].sub) {
        dialog.close();
        window.ntmOffline.send();
      } else {
        window.location.href = data.formUrl.replace("0", unsent[0].sub);
      }
    }));
    actions.appendChild(button(data.tLeave, false, leave));
    actions.appendChild(button(data.tStay, false, function () { dialog.close(); }));
    dialog.appendChild(title);
    dialog.appendChild(text);
    dialog.appendChild(actions);
    document.body.appendChild(dialog);
    dialog.showModal();
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.ntmStore.unsent().then(function (unsent) {
      if (unsent.length) warn(unsent);
      else leave();
    }, leave);
  });
})();
