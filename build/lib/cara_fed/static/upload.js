// Upload progress: send the form with XMLHttpRequest so the browser reports how much of a
// large upload has gone, then follow the server's answer as a normal submit would. Without
// this script the form still works, just without the progress bar. Every form marked
// data-progress (the upload form, a work's "add images" form) holds its own bar and status.
"use strict";
function withProgress(form) {
  const bar = form.querySelector("progress");
  const status = form.querySelector("[role=status]");
  if (!bar || !status) return;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    status.textContent = "Uploading…";
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) {
        bar.value = Math.round((100 * e.loaded) / e.total);
        status.textContent = `Uploading… ${bar.value}% of ${(e.total / 1e6).toFixed(1)} MB`;
      }
    });
    xhr.upload.addEventListener("load", () => {
      bar.value = 100;
      status.textContent = "Uploaded. Checking and preparing the images…";
    });
    xhr.addEventListener("load", () => {
      if (xhr.status < 400 && xhr.responseURL && xhr.responseURL !== form.action) {
        window.location.assign(xhr.responseURL);
        return;
      }
      // The server refused the work: show its page (with the reason) as a submit would.
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", () => {
      button.disabled = false;
      button.focus();
      status.textContent = "The upload failed: check your connection and try again.";
    });
    xhr.send(new FormData(form));
  });
}
document.addEventListener("DOMContentLoaded", () => {
  if (!window.FormData) return;
  document.querySelectorAll("form[data-progress]").forEach(withProgress);
});
