/* What the commune's form keeps on the phone (IndexedDB "ntm-offline"): values typed offline ("values", one per
   submission and field, with the server's value it was based on), files chosen offline ("files", as blobs) and
   what the pages last showed of the server ("meta"). One signed-in person at a time: another person's data is
   deleted before anything is shown (window.ntmStore, used by offline.js and offline-logout.js). */
(function () {
  "use strict";
  var NAME = "ntm-offline";
  var opened = null;

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function open() {
    if (opened) return opened;
    var req = indexedDB.open(NAME, 1);
    req.onupgradeneeded = function () {
      var db = req.result;
      db.createObjectStore("values", { keyPath: "id" }).createIndex("sub", "sub");
      db.createObjectStore("files", { keyPath: "id", autoIncrement: true }).createIndex("sub", "sub");
      db.createObjectStore("meta", { keyPath: "key" });
    };
    opened = request(req).then(function (db) {
      db.onversionchange = function () { db.close(); opened = null; };
      return db;
    });
    return opened;
  }
  function tx(name, mode, work) {
    return open().then(function (db) {
      var store = db.transaction(name, mode).objectStore(name);
      return request(work(store));
    });
  }
  function exists() {
    if (!indexedDB.databases) return Promise.resolve(true);
    return indexedDB.databases().then(function (list) {
      return list.some(function (db) { return db.name === NAME; });
    });
  }

  var store = {
    get: function (name, key) { return tx(name, "readonly", function (s) { return s.get(key); }); },
    put: function (name, row) { return tx(name, "readwrite", function (s) { return s.put(row); }); },
    add: function (name, row) { return tx(name, "readwrite", function (s) { return s.add(row); }); },
    remove: function (name, key) { return tx(name, "readwrite", function (s) { return s.delete(key); }); },
    all: function (name, sub) {
      return tx(name, "readonly", function (s) { return sub ? s.index("sub").getAll(String(sub)) : s.getAll(); });
    },
    /* Unsent values and files of everyone's submissions on this phone: [{sub, count}]. */
    unsent: function () {
      return exists().then(function (found) {
        if (!found) return [];
        return Promise.all([store.all("values"), store.all("files")]).then(function (rows) {
          var subs = {};
          rows[0].concat(rows[1]).forEach(function (row) { subs[row.sub] = (subs[row.sub] || 0) + 1; });
          return Object.keys(subs).map(function (sub) { return { sub: sub, count: subs[sub] }; });
        });
      });
    },
    /* Data kept for another person is deleted before this person sees the form. */
    forUser: function (user) {
      return store.get("meta", "user").then(function (row) {
        if (row && row.value === user) return;
        return Promise.all(["values", "files", "meta"].map(function (name) {
          return tx(name, "readwrite", function (s) { return s.clear(); });
        })).then(function () { return store.put("meta", { key: "user", value: user }); });
      });
    },
    /* Logout: nothing stays on the phone (this database, the service worker's caches, the service worker). */
    forgetEverything: function () {
      var closing = opened ? opened.then(function (db) { db.close(); opened = null; }) : Promise.resolve();
      var jobs = [closing.then(function () { return request(indexedDB.deleteDatabase(NAME)); })];
      if (window.caches) jobs.push(caches.keys().then(function (names) { return Promise.all(names.map(function (n) { return caches.delete(n); })); }));
      if (navigator.serviceWorker) {
        jobs.push(navigator.serviceWorker.getRegistrations().then(function (list) {
          return Promise.all(list.map(function (registration) { return registration.unregister(); }));
        }));
      }
      return Promise.all(jobs.map(function (job) { return job.catch(function () {}); }));
    },
  };
  window.ntmStore = store;
})();
