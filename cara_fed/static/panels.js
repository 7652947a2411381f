// Side panels: a <details data-open-wide> starts open where the page is wide enough to show it
// beside the feed (cara.css's 64rem), and closed on a phone, where it would push the feed
// down. Without this script it is a closed disclosure everywhere, which still works.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  if (!window.matchMedia("(min-width: 64rem)").matches) return;
  document.querySelectorAll("details[data-open-wide]").forEach((d) => {
    d.open = true;
  });
});
