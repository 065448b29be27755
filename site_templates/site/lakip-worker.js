/* lakip: the site's search when it is opened as files (file://, e.g. from a file share).
 *
 * Chromium refuses `new Worker("file:///...")`, so Material's search worker cannot start over
 * file://. Material's own offline plugin fixes this with a shim loaded from unpkg.com; the office
 * network may not reach the internet, so lakip ships this small equivalent instead: the worker
 * script runs in a hidden same-origin iframe and messages are passed between the frames.
 * Material's search worker knows this arrangement (it looks for `IFrameWorker` in its parent).
 * Over http(s) nothing here runs and the real Worker is used. */
(function () {
  "use strict";
  if (location.protocol !== "file:") {
    return;
  }

  var BRIDGE =
    "<script>" +
    "window.postMessage = function (data) { frameElement.lakipWorker.receive(data); };" +
    "window.importScripts = function () {" +
    "  var urls = Array.prototype.slice.call(arguments);" +
    "  return urls.reduce(function (done, url) {" +
    "    return done.then(function () { return new Promise(function (resolve, reject) {" +
    "      var script = document.createElement('script');" +
    "      script.src = url; script.onload = resolve;" +
    "      script.onerror = function () { reject(new Error('importScripts: ' + url)); };" +
    "      document.head.appendChild(script);" +
    "    }); });" +
    "  }, Promise.resolve());" +
    "};" +
    "<\/script>";

  function IFrameWorker(url) {
    var worker = this;
    this.listeners = new EventTarget();
    this.onmessage = null;
    this.queue = [];
    this.ready = false;
    this.frame = document.createElement("iframe");
    this.frame.hidden = true;
    this.frame.tabIndex = -1;
    this.frame.setAttribute("aria-hidden", "true");
    this.frame.title = "pencarian";
    this.frame.lakipWorker = this;
    var src = new URL(String(url), location.href).href;
    // the worker script must be the first script with a src: Material's worker finds its
    // lunr folder from it
    this.frame.srcdoc = "<!doctype html><meta charset=\"utf-8\">" + BRIDGE +
      "<script src=\"" + src.replace(/&/g, "&amp;").replace(/"/g, "&quot;") + "\"><\/script>";
    this.frame.addEventListener("load", function () {
      worker.ready = true;
      worker.queue.splice(0).forEach(function (data) { worker.postMessage(data); });
    });
    (document.body || document.documentElement).appendChild(this.frame);
  }

  IFrameWorker.prototype.addEventListener = function (type, listener, options) {
    this.listeners.addEventListener(type, listener, options);
  };
  IFrameWorker.prototype.removeEventListener = function (type, listener, options) {
    this.listeners.removeEventListener(type, listener, options);
  };
  IFrameWorker.prototype.dispatchEvent = function (event) {
    return this.listeners.dispatchEvent(event);
  };
  IFrameWorker.prototype.postMessage = function (data) {
    if (!this.ready) {
      this.queue.push(data);
      return;
    }
    var inner = this.frame.contentWindow;
    inner.dispatchEvent(new inner.MessageEvent("message", { data: structuredClone(data) }));
  };
  IFrameWorker.prototype.receive = function (data) {
    var event = new MessageEvent("message", { data: structuredClone(data) });
    if (typeof this.onmessage === "function") {
      this.onmessage(event);
    }
    this.listeners.dispatchEvent(event);
  };
  IFrameWorker.prototype.terminate = function () {
    this.frame.remove();
  };

  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
