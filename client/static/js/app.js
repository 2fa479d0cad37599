// Entry point: picks the page from the address, and re-renders on a language switch
// (or the side-by-side option) without a reload and without losing what was typed.
import { takeFragmentCredentials, tokenFor } from "./credentials.js";
import { h, mount } from "./dom.js";
import "./format.js"; // the format section of the live page
import { refreshErrors, shownError, showError } from "./forms.js";
import { homeView } from "./home.js";
import {
  availableLanguages, currentLanguage, endonym, loadLanguage, onBilingualChange, onLanguageChange,
} from "./i18n.js";
import { joinView } from "./join.js";
import { libraryView } from "./library.js";
import { sessionView } from "./session.js";
import "./agenda.js";
import "./board.js";

let current = null; // the page on screen, so a navigation can close its connection

function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  route();
  window.scrollTo(0, 0);
}

function route() {
  if (current && current.dispose) current.dispose();
  current = null;
  const [, first, code] = location.pathname.split("/");
  if (first === "library") {
    mount(libraryView(code ? decodeURIComponent(code) : null, navigate));
    return;
  }
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

// What a rebuilt page must get back: typed values, shown errors, the scroll position.
function keepPage() {
  const app = document.getElementById("app");
  const fields = [...app.querySelectorAll("form[id] [name]")].map((input) => ({
    form: input.form.id, name: input.name, value: input.value, checked: input.checked,
  }));
  const errors = [...app.querySelectorAll(".error[id]")]
    .map((box) => ({ id: box.id, error: shownError(box) }))
    .filter(({ error }) => error);
  return { fields, errors, scroll: window.scrollY };
}

function restorePage({ fields, errors, scroll }) {
  for (const { form, name, value, checked } of fields) {
    const input = document.getElementById(form)?.elements.namedItem(name);
    if (!input || input instanceof RadioNodeList) continue;
    if (input.type === "checkbox" || input.type === "radio") input.checked = checked;
    else input.value = value;
    input.dispatchEvent(new Event("change"));
  }
  for (const { id, error } of errors) {
    const box = document.getElementById(id);
    if (box) showError(box, error);
  }
  window.scrollTo(0, scroll);
}

function renderLanguageSwitch() {
  const nav = document.getElementById("language-switch");
  nav.replaceChildren(
    ...availableLanguages().map((language) =>
      h("button", {
        class: language === currentLanguage() ? "lang active" : "lang",
        "aria-pressed": String(language === currentLanguage()),
        // A language's name in itself is deliberately not translated.
        lang: language,
        dataset: { language },
        onclick: () => loadLanguage(language),
      }, endonym(language)),
    ),
  );
}

function rerender() {
  renderLanguageSwitch();
  // A live page keeps its connection and state; other pages are rebuilt and refilled.
  if (current && current.rerender) {
    current.rerender();
    refreshErrors();
  } else {
    const kept = keepPage();
    route();
    restorePage(kept);
  }
}

onLanguageChange(rerender);
onBilingualChange(rerender);
window.addEventListener("popstate", route);
await loadLanguage();
document.body.dataset.ready = "true";
