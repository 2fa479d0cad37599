// Entry point: picks the page from the address, and re-renders on a language switch.
import { takeFragmentCredentials, tokenFor } from "./credentials.js";
import { h, mount } from "./dom.js";
import { homeView } from "./home.js";
import { availableLanguages, currentLanguage, endonym, loadLanguage, onLanguageChange } from "./i18n.js";
import { joinView } from "./join.js";
import { sessionView } from "./session.js";
import "./board.js";

let current = null; // the page on screen, so a navigation can close its connection

function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  route();
}

function route() {
  if (current && current.dispose) current.dispose();
  current = null;
  const [, first, code] = location.pathname.split("/");
  const joinCode = (code || "").toUpperCase();
  let kind = first;
  if (kind === "s" && joinCode) takeFragmentCredentials(joinCode);
  // Whoever this browser already is in a session goes straight in; nobody else does.
  if (kind === "j" && joinCode && tokenFor(joinCode)) kind = "s";
  else if (kind === "s" && joinCode && !tokenFor(joinCode)) kind = "j";
  if (kind !== first) history.replaceState(null, "", `/${kind}/${joinCode}`);
  if (kind === "s" && joinCode) {
    current = sessionView(joinCode, navigate);
    mount(current.view);
  } else if (kind === "j" && joinCode) {
    mount(joinView(joinCode, navigate));
  } else {
    mount(homeView(navigate));
  }
}

function renderLanguageSwitch() {
  const nav = document.getElementById("language-switch");
  nav.replaceChildren(
    ...availableLanguages().map((language) =>
      h("button", {
        class: language === currentLanguage() ? "lang active" : "lang",
        "aria-pressed": String(language === currentLanguage()),
        dataset: { language },
        onclick: () => switchLanguage(language),
      }, endonym(language)),
    ),
  );
}

async function switchLanguage(language) {
  await loadLanguage(language);
}

onLanguageChange(() => {
  renderLanguageSwitch();
  // A live page keeps its connection and state; other pages are simply rebuilt.
  if (current && current.rerender) {
    current.rerender();
  } else {
    route();
  }
});

window.addEventListener("popstate", route);
await loadLanguage();
document.body.dataset.ready = "true";
