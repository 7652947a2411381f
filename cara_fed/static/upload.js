// Upload progress: send the form with XMLHttpRequest so the browser reports how much of a
// large upload has gone, then follow the server's answer as a normal submit would. Without
// this script the form still works, just without the progress bar. Every form marked
// data-progress (the upload form, a work's "add images" form) holds its own bar and status.
// Forms with image slots (fieldset.image-slot) also get a drop zone that fills the empty
// slots, a preview of each chosen image, buttons (and dragging) to reorder or remove them,
// and a bar per image while sending. The slots themselves never move in the page, since the
// server reads image1..imageN by name: only their files and alt texts change places.
// Previews are drawn into a canvas and shown as data: URLs (the page policy allows no blob:).
"use strict";
// One scope: after a refusal the server's page is written into this window, and the
// script runs again (document.write); top-level const would then be declared twice.
(() => {
const previews = new WeakMap(); // File -> Promise of a data: URL ("" when it cannot be decoded)
const drawn = new WeakMap(); // File -> that URL once known, so a re-render does not flicker

function make(tag, attrs = {}, text = "") {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.textContent = text;
  return el;
}
function sizeText(bytes) {
  return bytes < 1e6 ? `${Math.max(1, Math.round(bytes / 1e3))} KB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
const decode = (file) => window.createImageBitmap ? createImageBitmap(file) : new Promise((resolve, reject) => {
  const reader = new FileReader(), img = new Image();
  img.onload = () => resolve(img);
  img.onerror = reader.onerror = reject;
  reader.onload = () => { img.src = reader.result; };
  reader.readAsDataURL(file);
});
function preview(file) {
  if (!previews.has(file)) {
    previews.set(file, decode(file).then((image) => {
      const scale = Math.min(1, 240 / Math.max(image.width, image.height));
      const canvas = make("canvas");
      canvas.width = Math.max(1, Math.round(image.width * scale));
      canvas.height = Math.max(1, Math.round(image.height * scale));
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff"; // JPEG has no transparency: show it on white
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
      if (image.close) image.close();
      return canvas.toDataURL("image/jpeg", 0.8);
    }).catch(() => "").then((url) => { drawn.set(file, url); return url; }));
  }
  return previews.get(file);
}

function withProgress(form) {
  const bar = form.querySelector("progress:not(.slot-progress)");
  const status = form.querySelector("[role=status]:not(.drop-note)");
  if (!bar || !status) return;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    status.textContent = "Uploading…";
    // One bar per chosen image, in form order (multipart sends the fields in that order).
    const parts = [...form.querySelectorAll("fieldset.image-slot")].map((fs, i) => {
      const file = fs.querySelector("input[type=file]")?.files?.[0];
      if (!file) return null;
      const slotBar = fs.querySelector("progress.slot-progress") || (fs.querySelector(".slot-preview") || fs)
        .appendChild(make("progress", { class: "slot-progress", max: "100", "aria-label": `Upload of image ${i + 1}` }));
      slotBar.value = 0;
      return { bar: slotBar, size: file.size };
    }).filter(Boolean);
    const sum = parts.reduce((total, p) => total + p.size, 0);
    const data = new FormData(form);
    form.classList.add("is-sending");
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) {
        bar.value = Math.round((100 * e.loaded) / e.total);
        status.textContent = `Uploading… ${bar.value}% of ${(e.total / 1e6).toFixed(1)} MB`;
        // The other fields and the multipart headers, spread evenly before each file.
        const gap = Math.max(0, e.total - sum) / Math.max(1, parts.length);
        let start = 0;
        for (const p of parts) {
          start += gap;
          const part = p.size ? (e.loaded - start) / p.size : e.loaded >= start ? 1 : 0;
          p.bar.value = Math.round(100 * Math.min(1, Math.max(0, part)));
          start += p.size;
        }
      }
    });
    xhr.upload.addEventListener("load", () => {
      bar.value = 100;
      for (const p of parts) p.bar.value = 100;
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
      form.classList.remove("is-sending");
      button.disabled = false;
      button.focus();
      status.textContent = "The upload failed: check your connection and try again.";
    });
    xhr.send(data);
  });
}

function withSlots(form) {
  const slots = [...form.querySelectorAll("fieldset.image-slot")].map((fs) => ({
    fs, input: fs.querySelector("input[type=file]"), alt: fs.querySelector("textarea"),
  })).filter((s) => s.input && s.alt);
  if (!slots.length) return;
  try { new DataTransfer(); } catch { return; } // cannot set input.files: keep the plain slots
  const accept = slots[0].input.accept || "image/*";
  const kinds = accept.split(",").map((t) => t.trim()).filter(Boolean);
  const names = kinds.map((t) => t.replace(/^image\//, "").toUpperCase().replace("WEBP", "WebP"));
  const kindNames = names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}` : names[0];
  const accepted = (f) => kinds.some((t) => t === f.type || (t.endsWith("/*") && f.type.startsWith(t.slice(0, -1))));
  const note = make("p", { class: "drop-note", role: "status", "aria-live": "polite" });
  const picker = make("input", { type: "file", multiple: "", accept, hidden: "", tabindex: "-1" }); // no name: not sent
  const choose = make("button", { type: "button" }, "Choose files"), zone = make("div", { class: "drop-zone" });
  zone.append(make("p", { class: "drop-text" }, "Drop images here or choose files"), choose, picker, note);
  slots[0].fs.before(zone);
  const say = (text) => { note.textContent = text; };
  const busy = () => form.classList.contains("is-sending");
  const fileOf = (s) => s.input.files[0] || null;
  const filled = () => slots.filter(fileOf);
  const setFile = (s, file) => { const dt = new DataTransfer(); if (file) dt.items.add(file); s.input.files = dt.files; };
  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  let dragFrom = null; // the slot being dragged

  function show(s, i) {
    const file = fileOf(s), list = filled(), pos = list.indexOf(s);
    s.fs.classList.toggle("has-file", !!file);
    s.box.hidden = s.tools.hidden = !file;
    s.earlier.setAttribute("aria-disabled", String(pos <= 0));
    s.later.setAttribute("aria-disabled", String(pos < 0 || pos === list.length - 1));
    if (!file) { s.img.removeAttribute("src"); return; }
    s.img.alt = `Preview of image ${i + 1}: ${file.name}`;
    s.caption.textContent = `${file.name} · ${sizeText(file.size)}`;
    const put = (url) => {
      if (fileOf(s) !== file) return; // moved or replaced meanwhile
      if (url) s.img.src = url; else s.img.removeAttribute("src");
      s.box.classList.toggle("no-preview", !url);
    };
    if (drawn.has(file)) put(drawn.get(file));
    else { s.img.removeAttribute("src"); preview(file).then(put); }
  }
  // Empty slots past the first one are hidden: the drop zone fills them, and a page of eight
  // empty boxes says less than one. The first stays, with its (maybe required) file field.
  const render = () => {
    slots.forEach(show);
    const firstEmpty = slots.findIndex((s) => !fileOf(s));
    // A slot with alt text stays in view, file or not: the server refuses alt text without
    // an image, and the person must see which slot it means.
    slots.forEach((s, i) => {
      s.fs.hidden = !fileOf(s) && !s.alt.value.trim() && i !== firstEmpty && i !== 0;
    });
  };

  // Write back files and alt texts together: the images first, in order, then the empty slots.
  const entries = () => slots.map((s) => ({ file: fileOf(s), alt: s.alt.value }));
  function arrange(all) {
    [...all.filter((e) => e.file), ...all.filter((e) => !e.file)].forEach((e, i) => {
      setFile(slots[i], e.file);
      slots[i].alt.value = e.alt;
    });
    render();
  }
  function move(from, to, keep) { // places among the chosen images; keep: the button to refocus
    const all = entries(), images = all.filter((e) => e.file);
    if (busy() || from < 0 || to < 0 || to >= images.length || from === to) return;
    images.splice(to, 0, images.splice(from, 1)[0]);
    arrange([...images, ...all.filter((e) => !e.file)]);
    say(`Image moved to position ${to + 1} of ${images.length}.`);
    if (keep) slots[to][keep].focus();
  }
  function remove(s) {
    if (busy()) return;
    const all = entries(), name = fileOf(s).name;
    all[slots.indexOf(s)] = { file: null, alt: "" };
    arrange(all);
    say(`Removed ${name}; ${plural(filled().length, "image", "images")} left.`);
    (fileOf(s) ? s.remove : s.input).focus(); // the next image moved up, or the emptied field
  }
  function add(files) {
    if (busy()) return;
    const good = [...files].filter(accepted), bad = [...files].filter((f) => !accepted(f));
    const empty = slots.filter((s) => !fileOf(s)), added = Math.min(good.length, empty.length);
    const extra = good.length - added;
    good.slice(0, added).forEach((f, i) => setFile(empty[i], f));
    const said = added ? [`${plural(added, "image", "images")} added.`] : [];
    if (extra) {
      // A new work's slots are named as their ids; edit_work's "add-image1" adds to a work.
      const fresh = empty.length === slots.length && slots[0].input.id === slots[0].input.name;
      const fit = fresh ? `Only ${slots.length} images fit in one work` : `Only ${plural(empty.length, "more image fits", "more images fit")} in this work`;
      said.push(`${fit}; ${extra} ${extra === 1 ? "was" : "were"} left out.`);
    }
    if (bad.length) said.push(`Left out, not a ${kindNames} image: ${bad.map((f) => f.name).join(", ")}.`);
    say(said.join(" "));
    render();
  }

  choose.addEventListener("click", () => picker.click());
  picker.addEventListener("change", () => { add(picker.files); picker.value = ""; });
  const hasFiles = (e) => [...e.dataTransfer.types].includes("Files");
  for (const type of ["dragenter", "dragover"]) {
    zone.addEventListener(type, (e) => {
      if (hasFiles(e) && !busy()) { e.preventDefault(); e.dataTransfer.dropEffect = "copy"; zone.classList.add("is-over"); }
    });
  }
  zone.addEventListener("dragleave", (e) => { if (!zone.contains(e.relatedTarget)) zone.classList.remove("is-over"); });
  zone.addEventListener("drop", (e) => {
    zone.classList.remove("is-over");
    if (hasFiles(e)) { e.preventDefault(); add(e.dataTransfer.files); }
  });

  slots.forEach((s, i) => {
    Object.assign(s, { img: make("img", { draggable: "false" }), caption: make("figcaption"),
      box: make("figure", { class: "slot-preview", hidden: "" }), tools: make("div", { class: "slot-tools", hidden: "" }),
      earlier: make("button", { type: "button" }, "Move earlier"), later: make("button", { type: "button" }, "Move later"),
      remove: make("button", { type: "button", class: "slot-remove" }, "Remove") });
    s.box.append(s.img, s.caption);
    s.tools.append(s.earlier, s.later, s.remove);
    s.fs.append(s.box, s.tools);
    const place = () => filled().indexOf(s);
    s.earlier.addEventListener("click", () => move(place(), place() - 1, "earlier"));
    s.later.addEventListener("click", () => move(place(), place() + 1, "later"));
    s.remove.addEventListener("click", () => remove(s));
    s.input.addEventListener("change", () => {
      const file = fileOf(s);
      if (file && !accepted(file)) { setFile(s, null); say(`Not a ${kindNames} image: ${file.name}.`); }
      render();
    });
    // Dragging a slot by its frame, legend or preview (not from its fields, whose text
    // must stay selectable) moves its image to the slot it is dropped on.
    s.fs.addEventListener("pointerdown", (e) => {
      s.fs.draggable = !!fileOf(s) && !busy() && !e.target.closest("input,textarea,button,select,label");
    });
    s.fs.addEventListener("dragstart", (e) => {
      if (e.target !== s.fs) return;
      dragFrom = s;
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("application/x-cara-slot", String(i + 1));
      s.fs.classList.add("is-dragged");
    });
    s.fs.addEventListener("dragend", () => {
      dragFrom = null; s.fs.draggable = false;
      slots.forEach((t) => t.fs.classList.remove("is-dragged", "is-target"));
    });
    s.fs.addEventListener("dragover", (e) => {
      if (dragFrom) { e.preventDefault(); e.dataTransfer.dropEffect = "move"; s.fs.classList.add("is-target"); }
    });
    s.fs.addEventListener("dragleave", (e) => { if (!s.fs.contains(e.relatedTarget)) s.fs.classList.remove("is-target"); });
    s.fs.addEventListener("drop", (e) => {
      if (!dragFrom) return;
      e.preventDefault();
      s.fs.classList.remove("is-target");
      const list = filled();
      move(list.indexOf(dragFrom), fileOf(s) ? list.indexOf(s) : list.length - 1, null);
    });
  });
  render(); // files the browser kept (back button, reload) get their previews too
}

document.addEventListener("DOMContentLoaded", () => {
  if (!window.FormData) return;
  document.querySelectorAll("form[data-progress]").forEach(withProgress);
  document.querySelectorAll("form").forEach(withSlots);
});
})();
