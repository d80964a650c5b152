"use strict";
// The class's pages speak the browser's language, English or Chinese, and the
// link at the top switches between them, for this browser. Each sentence is
// written once in each language, side by side: in a page, as two elements
// marked `data-lang`, of which the other language's is hidden; in a script, as
// the two arguments of `say`. Text that came from a client is never translated.
const LANG = (() => {
  const chosen = localStorage.getItem("class-lang");
  if (chosen === "en" || chosen === "zh-CN") return chosen;
  const first = (navigator.languages && navigator.languages[0]) || navigator.language || "";
  return /^zh/i.test(first) ? "zh-CN" : "en";
})();

function say(english, chinese) {
  return LANG === "zh-CN" ? chinese : english;
}

// Shows this language's elements and hides the other's, and makes the link
// `id` switch to the other language.
function showLanguage(id) {
  document.documentElement.lang = LANG;
  for (const node of document.querySelectorAll("[data-lang]")) {
    node.hidden = node.dataset.lang !== LANG;
  }
  const link = document.getElementById(id);
  link.textContent = say("中文", "English");
  link.onclick = (event) => {
    event.preventDefault();
    localStorage.setItem("class-lang", say("zh-CN", "en"));
    location.reload();
  };
}
