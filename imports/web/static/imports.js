/* Import screens: drag and drop, upload with progress, polling of the check, confirmations.
   Plain JavaScript, served by the app (no CDN). Without it the forms still work. */
(function () {
  "use strict";

  function csrf(form) {
    var field = form.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  function jsonUrl(url) {
    return url + (url.indexOf("?") >= 0 ? "&" : "?") + "format=json";
  }

  function setupConfirmations() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          event.preventDefault();
        }
      });
    });
  }

  function setupUpload() {
    var form = document.getElementById("upload-form");
    if (!form) { return; }
    var input = document.getElementById("file");
    var zone = document.getElementById("drop-zone");
    var barBox = document.getElementById("upload-progress-bar");
    var bar = document.getElementById("upload-progress");
    var status = document.getElementById("upload-status");
    var error = document.getElementById("upload-error");
    var button = document.getElementById("upload-button");

    function showProgress(fraction, text) {
      var percent = Math.round(fraction * 100);
      barBox.hidden = false;
      bar.style.width = percent + "%";
      barBox.setAttribute("aria-valuenow", String(percent));
      status.textContent = text;
    }

    function fail(text) {
      error.textContent = text;
      error.hidden = false;
      barBox.hidden = true;
      status.textContent = "";
      button.disabled = false;
    }

    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("bg-primary-subtle");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.remove("bg-primary-subtle");
      });
    });
    zone.addEventListener("drop", function (event) {
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
      }
    });

    function poll(url) {
      var request = new XMLHttpRequest();
      request.open("GET", jsonUrl(url));
      request.setRequestHeader("Accept", "application/json");
      request.onload = function () {
        var state;
        try { state = JSON.parse(request.responseText); } catch (e) { state = null; }
        if (request.status !== 200 || !state) {
          fail((state && state.error) || form.getAttribute("data-failed"));
        } else if (state.state === "done") {
          showProgress(1, state.stage_text);
          window.location.assign(state.draft_url);
        } else if (state.state === "failed") {
          fail(state.error);
        } else {
          showProgress(state.fraction, form.getAttribute("data-checking") + " " + state.stage_text);
          window.setTimeout(function () { poll(url); }, 700);
        }
      };
      request.onerror = function () { window.setTimeout(function () { poll(url); }, 2000); };
      request.send();
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      error.hidden = true;
      if (!input.files.length) { input.reportValidity(); return; }
      if (input.files[0].size > Number(form.getAttribute("data-max-bytes"))) {
        fail(form.getAttribute("data-too-big"));
        return;
      }
      button.disabled = true;
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("Accept", "application/json");
      request.setRequestHeader("X-CSRFToken", csrf(form));
      request.upload.onprogress = function (progress) {
        if (progress.lengthComputable) {
          var fraction = progress.loaded / progress.total;
          showProgress(fraction, form.getAttribute("data-uploading")
            .replace("{percent}", String(Math.round(fraction * 100))));
        }
      };
      request.onload = function () {
        var answer;
        try { answer = JSON.parse(request.responseText); } catch (e) { answer = null; }
        if (request.status === 202 && answer && answer.status_url) {
          showProgress(0, form.getAttribute("data-checking"));
          poll(answer.status_url);
        } else {
          fail((answer && answer.error) || form.getAttribute("data-failed"));
        }
      };
      request.onerror = function () { fail(form.getAttribute("data-failed")); };
      request.send(new FormData(form));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupConfirmations();
    setupUpload();
  });
}());
