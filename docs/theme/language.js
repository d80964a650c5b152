// A link to the same page in the other language, at the top of every page:
// the English book is at the root, the Chinese one under zh-CN/.
(function () {
  const chinese = document.documentElement.lang === "zh-CN";
  const path = window.location.pathname;
  const other = chinese ? path.replace("/zh-CN/", "/") : path.replace(/\/([^/]*)$/, "/zh-CN/$1");
  const link = document.createElement("a");
  link.href = other;
  link.textContent = chinese ? "English" : "中文";
  link.className = "language-link";
  link.title = chinese ? "Read this page in English" : "阅读本页的中文版";
  link.style.marginInline = "0.6em";
  const buttons = document.querySelector(".right-buttons");
  if (buttons) buttons.prepend(link);
})();

// The book's title, from book.toml, and the exercises' hint labels, HTML
// in <details>, are out of the translation's reach: the Chinese edition's
// are set here.
(function () {
  if (document.documentElement.lang !== "zh-CN") return;
  const menu = document.querySelector(".menu-title");
  if (menu) {
    const title = "用 Rust 下载网站，学习并发";
    document.title = document.title.replace(menu.textContent.trim(), title);
    menu.textContent = title;
  }
  const labels = { "Hint": "提示", "Another hint": "另一个提示" };
  for (const summary of document.querySelectorAll("details > summary")) {
    const label = labels[summary.textContent.trim()];
    if (label) summary.textContent = label;
  }
})();
