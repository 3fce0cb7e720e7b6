/* The commune's form without a connection (templates/submissions/entry/offline.html sets it up).

   - registers the service worker (/danh-gia/sw.js) and tells it who is signed in, whether the phone is online,
     and which pages and files of this submission to keep;
   - while offline, keeps every changed value (with the server's value it was based on) and every chosen file on
     the phone (IndexedDB), marks them "Đã lưu trên điện thoại này", and puts them back after a reload;
   - back online, sends them (submissions.entry.offline): conflicts are shown side by side to choose from; a
     closed round or a submission submitted elsewhere leaves the values on screen to copy or download. */
(function () {
  "use strict";
  var config = document.getElementById("offline-config");
  if (!config || !window.indexedDB) return;
  var data = config.dataset;
  var SUB = data.submission;
  var form = document.getElementById("evaluation-form") || document.querySelector("form.evaluation-form");
  var store = window.ntmStore;
  var statusBox = document.getElementById("offline-status");
  var panel = document.getElementById("offline-panel");
  var TRACKED = /^[vnq]_/;
  var bases = {};
  var sending = false;
  var IDLE_MS = 2000;

  function text(key) { return data["t" + key.charAt(0).toUpperCase() + key.slice(1)] || ""; }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name]; else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function pageLock() {
    var input = form && form.querySelector("input[name=lock_version]");
    return parseInt((form && form.dataset.lockVersion) || (input && input.value) || "0", 10);
  }

  /* --- the form's fields -------------------------------------------------------------------------------- */
  function fieldsByName() {
    var names = {};
    if (!form) return names;
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && TRACKED.test(field.name) && field.type !== "file") (names[field.name] = names[field.name] || []).push(field);
    });
    return names;
  }
  function valueOf(fields, initial) {
    var field = fields[0];
    if (field.type === "radio" || field.type === "checkbox") {
      var on = fields.filter(function (f) { return initial ? f.defaultChecked : f.checked; })[0];
      return on ? on.value : "";
    }
    if (field.tagName === "SELECT") {
      var option = Array.prototype.filter.call(field.options, function (o) { return initial ? o.defaultSelected : o.selected; })[0];
      return option ? option.value : "";
    }
    return initial ? field.defaultValue : field.value;
  }
  function setValue(fields, value, initial) {
    fields.forEach(function (field) {
      if (field.type === "radio" || field.type === "checkbox") {
        if (initial) field.defaultChecked = field.value === value;
        field.checked = field.value === value;
      } else if (field.tagName === "SELECT") {
        Array.prototype.forEach.call(field.options, function (o) { if (initial) o.defaultSelected = o.value === value; o.selected = o.value === value; });
      } else {
        if (initial) field.defaultValue = value;
        field.value = value;
      }
      if (field.tagName === "TEXTAREA" && value) {
        var details = field.closest("details");
        if (details) details.open = true;
      }
    });
  }
  function labelOf(fields) {
    var field = fields[0];
    var group = field.closest("fieldset");
    var label = field.id && document.querySelector("label[for='" + field.id + "']");
    if (field.type === "radio" && group && group.querySelector("legend")) return group.querySelector("legend").textContent.trim();
    var text = label ? label.textContent.trim() : field.name;
    if (/^n_/.test(field.name)) {
      var row = field.closest(".indicator");
      var main = row && row.querySelector(".indicator-label");
      if (main) text = main.textContent.trim() + " — " + text;
    }
    return text;
  }
  function mark(name, sent) {
    var fields = fieldsByName()[name];
    if (!fields) return;
    var holder = fields[0].closest(".indicator, .question, fieldset") || fields[0].parentNode;
    var badge = holder.querySelector(".offline-mark[data-name='" + name + "']");
    if (!badge) {
      badge = el("p", { "class": "offline-mark", "data-name": name });
      var after = fields[fields.length - 1].closest("details") || fields[fields.length - 1];
      if (after.parentNode === holder || holder.contains(after)) after.parentNode.insertBefore(badge, after.nextSibling);
      else holder.appendChild(badge);
    }
    badge.textContent = sent ? text("sent") : text("saved");
    badge.className = "offline-mark" + (sent ? " offline-mark-sent" : "");
  }
  function unmark(name) {
    var badge = form && form.querySelector(".offline-mark[data-name='" + name + "']");
    if (badge) badge.parentNode.removeChild(badge);
  }

  /* --- what the page knows about the server's values ---------------------------------------------------- */
  function rememberServer(names) {
    var lock = pageLock();
    var values = {};
    Object.keys(names).forEach(function (name) { values[name] = valueOf(names[name], true); });
    return store.get("meta", "server|" + SUB).then(function (known) {
      if (known && known.lock > lock) {
        // This copy of the page is older than what we saw online last: the newer values are the bases.
        Object.keys(known.values).forEach(function (name) {
          if (names[name] && known.values[name] !== values[name]) setValue(names[name], known.values[name], true);
          if (name in values) values[name] = known.values[name];
        });
        return;
      }
      var merged = Object.assign({}, known ? known.values : {}, values);
      return store.put("meta", { key: "server|" + SUB, lock: lock, values: merged });
    }).then(function () { bases = values; });
  }

  /* --- keeping values and files on the phone ------------------------------------------------------------ */
  function keepField(name) {
    var fields = fieldsByName()[name];
    if (!fields) return Promise.resolve();
    var value = valueOf(fields, false);
    var base = bases[name] !== undefined ? bases[name] : valueOf(fields, true);
    var id = SUB + "|" + name;
    if (value === base) {
      unmark(name);
      return store.remove("values", id);
    }
    mark(name, false);
    return store.get("values", id).then(function (old) {
      return store.put("values", { id: id, sub: SUB, name: name, value: value, base: old ? old.base : base, label: labelOf(fields), at: Date.now() });
    });
  }
  function keepAll() {
    var names = fieldsByName();
    var files = form ? Array.prototype.filter.call(form.querySelectorAll("input[type=file]"), function (input) { return input.files && input.files.length && /^[eq]_/.test(input.name); }) : [];
    return Promise.all(Object.keys(names).map(keepField).concat(files.map(keepFiles))).then(showStatus);
  }
  function keepFiles(input) {
    var files = Array.prototype.slice.call(input.files || []);
    var label = document.querySelector("label[for='" + input.id + "']");
    return Promise.all(files.map(function (file) {
      return store.add("files", { sub: SUB, name: input.name, label: label ? label.textContent.trim() : input.name, filename: file.name, type: file.type, blob: file, at: Date.now() });
    })).then(function () { input.value = ""; return showFiles(); }).then(showStatus);
  }
  function showFiles() {
    return store.all("files", SUB).then(function (files) {
      Array.prototype.forEach.call(document.querySelectorAll(".offline-files"), function (list) { list.parentNode.removeChild(list); });
      var byName = {};
      files.forEach(function (item) { (byName[item.name] = byName[item.name] || []).push(item); });
      Object.keys(byName).forEach(function (name) {
        var input = form && form.querySelector("input[type=file][name='" + name + "']");
        if (!input) return;
        var list = el("ul", { "class": "offline-files" }, byName[name].map(function (item) {
          return el("li", { text: item.filename + " — " + text("saved") });
        }));
        input.parentNode.insertBefore(list, input.nextSibling);
      });
    });
  }
  function restore() {
    var names = fieldsByName();
    return store.all("values", SUB).then(function (rows) {
      return Promise.all(rows.map(function (row) {
        if (!names[row.name]) return;
        // What this page shows from the server already: nothing left to send (a save that went through).
        if (valueOf(names[row.name], true) === row.value) return store.remove("values", row.id);
        setValue(names[row.name], row.value, false);
        mark(row.name, false);
      }));
    }).then(showFiles);
  }

  /* --- status at the top -------------------------------------------------------------------------------- */
  function showStatus() {
    return Promise.all([store.all("values", SUB), store.all("files", SUB)]).then(function (found) {
      var count = found[0].length + found[1].length;
      statusBox.className = "offline-status" + (count ? " offline-status-saved" : "");
      if (count) {
        statusBox.textContent = text("saved") + ": " + text("count").replace("%s", count) + (navigator.onLine ? "" : " " + text("later"));
        var button = el("button", { type: "button", "class": "button", text: text("send") });
        button.addEventListener("click", send);
        if (navigator.onLine) statusBox.appendChild(button);
      } else if (!navigator.onLine) {
        statusBox.textContent = text("offline");
      } else if (!statusBox.dataset.sent) {
        statusBox.textContent = "";
      }
      return count;
    });
  }

  /* --- sending ------------------------------------------------------------------------------------------ */
  function csrf() {
    // The cookie first: a page kept from before the last login carries an outdated token.
    var cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return cookie ? decodeURIComponent(cookie[1]) : input ? input.value : "";
  }
  function post(url, body, json) {
    var headers = { "X-CSRFToken": csrf(), "Accept": "application/json" };
    if (json) headers["Content-Type"] = "application/json";
    return fetch(url, { method: "POST", credentials: "same-origin", headers: headers, body: json ? JSON.stringify(body) : body })
      .then(function (response) {
        return response.json().catch(function () { return { message: text("failed") }; }).then(function (answer) {
          answer.status = response.status;
          return answer;
        });
      });
  }
  function sendValues(rows, retried) {
    if (!rows.length) return Promise.resolve({ status: 200, sent: [], conflicts: [] });
    var fields = {};
    rows.forEach(function (row) { fields[row.name] = { value: row.value, base: row.base }; });
    return post(data.syncUrl, { lock_version: pageLock(), fields: fields }, true).then(function (answer) {
      if (answer.status === 409 && answer.code === "conflict" && !retried) return sendValues(rows, true);
      return answer;
    });
  }
  function sendFiles() {
    return store.all("files", SUB).then(function (files) {
      return files.reduce(function (chain, item) {
        return chain.then(function (refused) {
          var body = new FormData();
          body.append("field", item.name);
          body.append("file", new File([item.blob], item.filename, { type: item.type }));
          return post(data.fileUrl, body, false).then(function (answer) {
            if (answer.status === 200 || answer.status === 201) return store.remove("files", item.id).then(function () { return refused; });
            if (answer.status === 400) return store.remove("files", item.id).then(function () { return refused.concat([item.filename + ": " + answer.message]); });
            throw answer;
          });
        });
      }, Promise.resolve([]));
    });
  }
  function send() {
    if (sending || !navigator.onLine) return Promise.resolve();
    sending = true;
    var sentLabels = [];
    return keepAll().then(function () { return store.all("values", SUB); }).then(function (rows) {
      return sendValues(rows).then(function (answer) {
        if (answer.status !== 200) throw answer;
        var sent = {};
        answer.sent.forEach(function (name) { sent[name] = true; });
        return Promise.all(rows.filter(function (row) { return sent[row.name]; }).map(function (row) {
          sentLabels.push(row.name);
          return store.remove("values", row.id);
        })).then(function () { return answer; });
      });
    }).then(function (answer) {
      if (answer.conflicts.length) { showConflicts(answer); showStatus(); throw null; }
      return sendFiles();
    }).then(function (refused) {
      sessionStorage.setItem("ntm-sent-" + SUB, JSON.stringify({ names: sentLabels, refused: refused }));
      window.location.reload();
    }).catch(function (answer) {
      sending = false;
      if (answer === null) return;
      if (answer && (answer.code === "round_closed" || answer.code === "submitted")) return showLocked(answer.message);
      showMessage((answer && answer.message) || text("failed"), "error");
    });
  }

  function showMessage(message, kind) {
    panel.hidden = false;
    panel.textContent = "";
    panel.appendChild(el("p", { "class": "message message-" + kind, role: "alert", text: message }));
  }

  function showConflicts(answer) {
    panel.hidden = false;
    panel.textContent = "";
    var box = el("form", { "class": "offline-conflicts", "aria-labelledby": "offline-conflicts-title" });
    box.appendChild(el("h2", { id: "offline-conflicts-title", text: text("conflictTitle") }));
    box.appendChild(el("p", { text: answer.message }));
    answer.conflicts.forEach(function (conflict, index) {
      var group = el("fieldset", { "class": "offline-choice" }, [el("legend", { text: conflict.label })]);
      [["server", text("server")], ["device", text("device")]].forEach(function (option) {
        var id = "offline-choice-" + index + "-" + option[0];
        var radio = el("input", { type: "radio", name: "choice-" + index, value: option[0], id: id });
        if (option[0] === "device") radio.checked = true;
        group.appendChild(el("div", { "class": "offline-version" }, [
          radio,
          el("label", { "for": id }, [el("strong", { text: option[1] }), el("span", { "class": "offline-value", text: conflict[option[0]] || text("empty") })]),
        ]));
      });
      box.appendChild(group);
    });
    box.appendChild(el("button", { type: "submit", "class": "button button-primary", text: text("choose") }));
    box.addEventListener("submit", function (event) {
      event.preventDefault();
      var names = fieldsByName();
      Promise.all(answer.conflicts.map(function (conflict, index) {
        var choice = box.querySelector("input[name='choice-" + index + "']:checked").value;
        var id = SUB + "|" + conflict.name;
        if (choice === "server") {
          if (names[conflict.name]) setValue(names[conflict.name], conflict.server, true);
          bases[conflict.name] = conflict.server;
          unmark(conflict.name);
          return store.remove("values", id);
        }
        bases[conflict.name] = conflict.server;
        return store.get("values", id).then(function (row) {
          row.base = conflict.server;
          return store.put("values", row);
        });
      })).then(function () { panel.hidden = true; return send(); });
    });
    panel.appendChild(box);
    var title = document.getElementById("offline-conflicts-title");
    title.setAttribute("tabindex", "-1");
    title.focus();
  }

  function showLocked(message) {
    return Promise.all([store.all("values", SUB), store.all("files", SUB)]).then(function (found) {
      panel.hidden = false;
      panel.textContent = "";
      var lines = found[0].map(function (row) { return row.label + ": " + row.value; })
        .concat(found[1].map(function (item) { return item.label + ": " + item.filename; }));
      var list = el("ul", { "class": "offline-unsent" }, lines.map(function (line) { return el("li", { text: line }); }));
      var download = el("button", { type: "button", "class": "button", text: text("download") });
      download.addEventListener("click", function () {
        var link = el("a", { href: URL.createObjectURL(new Blob([lines.join("\r\n") + "\r\n"], { type: "text/plain;charset=utf-8" })), download: "ho-so-" + SUB + "-chua-gui.txt" });
        document.body.appendChild(link);
        link.click();
        link.parentNode.removeChild(link);
      });
      var copy = el("button", { type: "button", "class": "button", text: text("copy") });
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(lines.join("\n")).then(function () { copy.textContent = text("copied"); });
      });
      panel.appendChild(el("div", { "class": "offline-locked", role: "alert" }, [
        el("h2", { id: "offline-locked-title", tabindex: "-1", text: text("lockedTitle") }), el("p", { text: message }), el("p", { text: text("unsent") }), list,
        el("p", { "class": "offline-actions" }, [download, copy]),
      ]));
      document.getElementById("offline-locked-title").focus();
    });
  }

  /* --- the service worker ------------------------------------------------------------------------------- */
  function tellWorker(precache) {
    if (!navigator.serviceWorker) return;
    var message = { type: "state", user: data.user, offline: !navigator.onLine };
    if (precache) {
      var prefix = data.prefix;
      var pages = [location.pathname, prefix].concat(Array.prototype.map.call(document.querySelectorAll("a[href^='" + prefix + "']"), function (a) { return a.getAttribute("href"); }));
      var assets = Array.prototype.map.call(document.querySelectorAll("link[rel=stylesheet], script[src]"), function (node) { return node.getAttribute("href") || node.getAttribute("src"); });
      message.precache = { pages: pages, assets: assets.concat([data.icon]), prefix: prefix };
    }
    navigator.serviceWorker.ready.then(function (registration) { registration.active.postMessage(message); });
  }
  function register() {
    if (!navigator.serviceWorker) return;
    var link = el("link", { rel: "manifest", href: data.manifestUrl });
    document.head.appendChild(link);
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (!event.data || event.data.type !== "ready") return;
      document.documentElement.setAttribute("data-offline", navigator.onLine ? "online" : "offline");
      if (event.data.kept) document.documentElement.setAttribute("data-offline-kept", "");
    });
    navigator.serviceWorker.register(data.swUrl, { scope: data.scope }).then(function () { tellWorker(false); idle(); });
  }
  /* The pages are fetched for keeping only while the officer is idle on a page (never during a save). */
  var idleTimer = null;
  function idle() {
    clearTimeout(idleTimer);
    if (navigator.onLine) idleTimer = setTimeout(function () { tellWorker(true); }, IDLE_MS);
  }
  function busy() {
    clearTimeout(idleTimer);
    if (navigator.serviceWorker && navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage({ type: "pause" });
  }

  /* --- start -------------------------------------------------------------------------------------------- */
  // The include sits at the end of the page; its mark and panel belong at the top, under the form's header.
  var top = document.querySelector(".round-meta") || form;
  if (top && top.parentNode) {
    top.parentNode.insertBefore(panel, top.nextSibling);
    top.parentNode.insertBefore(statusBox, top.nextSibling);
  }
  if (!navigator.onLine) {
    // A copy kept by the service worker: the server's one-time messages ("Đã lưu nháp.") are not news now.
    Array.prototype.forEach.call(document.querySelectorAll(".messages"), function (list) { list.parentNode.hidden = true; });
  }
  store.forUser(data.user).then(function () {
    var names = fieldsByName();
    return rememberServer(names).then(restore).then(showStatus);
  }).then(function (count) {
    var sent = sessionStorage.getItem("ntm-sent-" + SUB);
    if (sent) {
      sessionStorage.removeItem("ntm-sent-" + SUB);
      sent = JSON.parse(sent);
      sent.names.forEach(function (name) { mark(name, true); });
      statusBox.dataset.sent = "1";
      statusBox.className = "offline-status offline-status-sent";
      statusBox.textContent = text("sent") + (sent.refused.length ? " — " + sent.refused.join("; ") : "");
    }
    if (count && navigator.onLine) send();
  });
  register();
  if (form) {
    form.addEventListener("input", function (event) { if (!navigator.onLine && TRACKED.test(event.target.name)) keepField(event.target.name).then(showStatus); });
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (navigator.onLine) return;
      if (target.type === "file" && /^[eq]_/.test(target.name)) keepFiles(target);
      else if (TRACKED.test(target.name)) keepField(target.name).then(showStatus);
    });
    form.addEventListener("submit", function (event) {
      busy();
      if (!navigator.onLine) {
        event.preventDefault();
        keepAll();
      } else if (statusBox.classList.contains("offline-status-saved")) {
        event.preventDefault();
        send();
      }
    });
    form.addEventListener("input", function () { busy(); idle(); });
  }
  window.addEventListener("offline", function () { busy(); keepAll(); tellWorker(false); });
  window.addEventListener("pagehide", busy);
  window.addEventListener("online", function () { tellWorker(false); showStatus().then(function (count) { if (count) send(); }); });
  window.ntmOffline = { send: send };
})();
