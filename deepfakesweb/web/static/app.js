// DeepFakesWeb dashboard: copy buttons, confirmations, upload with a progress bar, live job progress.
"use strict";

function setupCopyButtons() {
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", async () => {
      const field = document.getElementById(button.dataset.copy);
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
      } catch (error) {
        document.execCommand("copy");
      }
      button.textContent = "Copied";
    });
  });
}

function setupConfirmations(root) {
  root.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
}

function setupUpload() {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const status = document.getElementById("upload-status");
  const bar = document.getElementById("upload-progress");
  const percent = document.getElementById("upload-percent");
  const message = document.getElementById("upload-message");
  const button = form.querySelector("button[type=submit]");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    request.setRequestHeader("X-CSRF-Token", form.elements.csrf_token.value);
    request.upload.addEventListener("progress", (progress) => {
      if (!progress.lengthComputable) return;
      const value = Math.round((100 * progress.loaded) / progress.total);
      bar.value = value;
      percent.textContent = value + "%";
    });
    request.addEventListener("load", () => {
      button.disabled = false;
      let body = {};
      try { body = JSON.parse(request.responseText); } catch (error) { body = {}; }
      if (request.status === 200) {
        form.reset();
        status.hidden = true;
        refreshVideos();
      } else {
        message.textContent = body.message || "The upload failed (HTTP " + request.status + ").";
        message.hidden = false;
      }
    });
    request.addEventListener("error", () => {
      button.disabled = false;
      message.textContent = "The upload failed: the connection was interrupted.";
      message.hidden = false;
    });
    message.hidden = true;
    status.hidden = false;
    bar.value = 0;
    percent.textContent = "0%";
    button.disabled = true;
    request.send(new FormData(form));
  });
}

function replaceRow(list, row, html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  const fresh = template.content.firstElementChild;
  if (row) row.replaceWith(fresh); else list.prepend(fresh);
  setupConfirmations(fresh);
}

async function refreshVideos() {
  const list = document.getElementById("video-list");
  if (!list) return;
  const response = await fetch(list.dataset.poll, { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const body = await response.json();
  const seen = new Set();
  body.videos.slice().reverse().forEach((video) => {
    seen.add(String(video.id));
    const row = document.getElementById("video-" + video.id);
    const changed = !row || row.dataset.status !== video.status || row.dataset.progress !== String(video.progress);
    if (changed) replaceRow(list, row, video.html);
  });
  list.querySelectorAll("li.video").forEach((row) => { if (!seen.has(row.dataset.id)) row.remove(); });
  document.getElementById("no-videos").hidden = body.videos.length > 0;
}

document.addEventListener("DOMContentLoaded", () => {
  setupCopyButtons();
  setupConfirmations(document);
  setupUpload();
  if (document.getElementById("video-list")) setInterval(refreshVideos, 2000);
});
