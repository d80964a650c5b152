"use strict";
// The join command a class page shows, in the element `id`, made by
// `command` from an address students can reach. A page opened on the
// teacher's machine (at localhost) would show its own address, which reaches
// nobody else: it shows where serve says other machines reach it instead
// (the page's `reachable` script), the others beside.
function showJoin(id, command) {
  const element = document.getElementById(id);
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(location.hostname);
  const origins = JSON.parse(document.getElementById("reachable").textContent);
  if (!local || origins.length === 0) {
    element.textContent = command(location.origin);
    return;
  }
  element.textContent = command(origins[0]);
  if (origins.length > 1) {
    const others = document.createElement("span");
    others.textContent = " (" + say("or ", "或 ") + origins.slice(1).join(", ") + ")";
    element.after(others);
  }
}
