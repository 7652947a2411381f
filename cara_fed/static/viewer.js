// Full-screen image viewer for a work's images. Each image in a [data-viewer] group becomes a
// button that opens a modal <dialog> (focus kept inside, Escape closes) showing the full copy
// (data-full, else the image's own src) with its alt text. Arrow keys, Home/End, the Previous
// and Next buttons or a horizontal swipe move through the group's images; a tap beside the
// image closes it, and focus goes back to the thumbnail of the image last shown. The list is
// taken when the viewer opens, so images in a content warning count once it is opened.
// Without this script the images stay ordinary images.
"use strict";
(() => {
  const IMAGES = "figure.work-image img";
  const SWIPE = 50; // px a swipe must travel sideways
  let dialog, stage, picture, altText, count, spoken, prevButton, nextButton;
  let list = [];
  let index = 0;
  let start = null; // where the current pointer went down
  let swiped = false; // a swipe just ended: swallow the click that follows it

  function fullSource(img) {
    return img.dataset.full || img.currentSrc || img.src;
  }

  // An image behind a closed <details> (a content warning) or [hidden] can't be seen.
  function shown(img) {
    return !img.closest("details:not([open]), [hidden]");
  }

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "viewer";
    dialog.setAttribute("aria-label", "Image viewer");
    dialog.setAttribute("aria-describedby", "viewer-caption");
    dialog.innerHTML =
      '<div class="viewer-stage"><img class="viewer-image" alt="" draggable="false"></div>' +
      '<button type="button" class="viewer-prev" aria-label="Previous image" title="Previous image"><span aria-hidden="true">‹</span></button>' +
      '<button type="button" class="viewer-next" aria-label="Next image" title="Next image"><span aria-hidden="true">›</span></button>' +
      '<button type="button" class="viewer-close" aria-label="Close viewer" title="Close (Esc)" autofocus><span aria-hidden="true">×</span></button>' +
      '<p class="viewer-caption" id="viewer-caption" aria-live="polite"><span class="viewer-alt"></span>' +
      '<span class="viewer-count" aria-hidden="true"></span><span class="viewer-sr"></span></p>';
    stage = dialog.querySelector(".viewer-stage");
    picture = dialog.querySelector(".viewer-image");
    altText = dialog.querySelector(".viewer-alt");
    count = dialog.querySelector(".viewer-count");
    spoken = dialog.querySelector(".viewer-sr");
    prevButton = dialog.querySelector(".viewer-prev");
    nextButton = dialog.querySelector(".viewer-next");
    prevButton.addEventListener("click", () => show(index - 1));
    nextButton.addEventListener("click", () => show(index + 1));
    dialog.querySelector(".viewer-close").addEventListener("click", () => dialog.close());
    dialog.addEventListener("keydown", onKey);
    dialog.addEventListener("close", () => {
      document.body.classList.remove("viewer-open");
      const thumb = list[index];
      if (thumb && thumb.isConnected) thumb.focus();
    });
    // A click after a swipe is part of the swipe; a click beside the image closes.
    dialog.addEventListener("click", (event) => {
      if (swiped) {
        swiped = false;
        event.stopPropagation();
        return;
      }
      if (event.target === dialog || event.target === stage) dialog.close();
    }, true);
    dialog.addEventListener("pointerdown", (event) => {
      swiped = false;
      start = event.isPrimary ? { x: event.clientX, y: event.clientY } : null;
    });
    dialog.addEventListener("pointercancel", () => { start = null; });
    dialog.addEventListener("pointerup", (event) => {
      if (!start || !event.isPrimary) return;
      const dx = event.clientX - start.x;
      const dy = event.clientY - start.y;
      start = null;
      if (list.length > 1 && Math.abs(dx) > SWIPE && Math.abs(dx) > Math.abs(dy)) {
        swiped = true;
        show(index + (dx < 0 ? 1 : -1));
      }
    });
    document.body.append(dialog);
  }

  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey || list.length < 2) return;
    const moves = { ArrowLeft: index - 1, ArrowRight: index + 1, Home: 0, End: list.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    show(moves[event.key]);
  }

  function show(i) {
    index = (i + list.length) % list.length;
    const img = list[index];
    picture.src = fullSource(img);
    picture.alt = img.alt;
    altText.textContent = img.alt;
    count.textContent = `${index + 1} / ${list.length}`;
    spoken.textContent = `Image ${index + 1} of ${list.length}`;
    // Fetch the neighbours now so moving on shows them at once.
    for (const step of [1, -1]) {
      const other = list[(index + step + list.length) % list.length];
      if (other !== img) new Image().src = fullSource(other);
    }
  }

  function open(img) {
    if (!dialog) build();
    if (dialog.open) return;
    const group = img.closest("[data-viewer]");
    list = [...group.querySelectorAll(IMAGES)].filter(shown);
    if (!list.includes(img)) list = [img];
    prevButton.hidden = nextButton.hidden = list.length < 2;
    show(list.indexOf(img));
    document.body.classList.add("viewer-open");
    dialog.showModal();
  }

  function thumbFrom(event) {
    const el = event.target;
    return el instanceof Element ? el.closest(`[data-viewer] ${IMAGES}.zoomable`) : null;
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (typeof HTMLDialogElement !== "function") return;
    document.querySelectorAll("[data-viewer]").forEach((group) => {
      const imgs = group.querySelectorAll(IMAGES);
      imgs.forEach((img, i) => {
        img.classList.add("zoomable");
        img.tabIndex = 0;
        img.setAttribute("role", "button");
        img.setAttribute("aria-haspopup", "dialog");
        img.setAttribute("aria-label", `Open image ${i + 1} of ${imgs.length} full screen`);
        // The alt text is the visible caption's: heard there, whole, once the image is a
        // button (a button's name replaces its alt).
        img.closest("figure")?.querySelector(".alt-text")?.removeAttribute("aria-hidden");
      });
    });
    document.addEventListener("click", (event) => {
      const img = thumbFrom(event);
      if (img) open(img);
    });
    // Enter opens on keydown, Space on keyup, as for a real button; opening on Space's keydown
    // would let its keyup press the viewer's Close button at once.
    document.addEventListener("keydown", (event) => {
      const img = thumbFrom(event);
      if (!img || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === " ") event.preventDefault(); // don't scroll the page
      if (event.key === "Enter") {
        event.preventDefault();
        open(img);
      }
    });
    document.addEventListener("keyup", (event) => {
      const img = thumbFrom(event);
      if (img && event.key === " ") open(img);
    });
  });
})();
