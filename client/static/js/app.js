// Entry point: picks the page from the address, and re-renders on a language switch
// (or the side-by-side option) without a reload and without losing what was typed.
import { accountView } from "./account.js";
import { account, loadAccount, onAccountChange } from "./api.js";
import { fetchHostPass, moveHere, takeFragmentCredentials, tokenFor } from "./credentials.js";
import { groupView } from "./group.js";
import { inviteView } from "./invite.js";
import { h, mount } from "./dom.js";
import "./format.js"; // the format section of the live page
import { refreshErrors, shownError, showError } from "./forms.js";
import { homeView } from "./home.js";
import {
  availableLanguages, currentLanguage, endonym, loadLanguage, onBilingualChange, onLanguageChange, t,
} from "./i18n.js";
import { joinView } from "./join.js";
import { libraryView } from "./library.js";
import { refusedPanel, sessionView } from "./session.js";
import "./agenda.js";
import "./board.js";
import "./notebook.js";
import "./actions.js";
import "./pulse.js";
import "./breakouts.js";
import "./breakouts-host.js";

let current = null; // the page on screen, so a navigation can close its connection

function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  route();
  window.scrollTo(0, 0);
}

let routing = 0; // the latest route wins if an earlier one is still waiting for the server

async function route() {
  if (current && current.dispose) current.dispose();
  current = null;
  const mine = ++routing;
  const [, first, code] = location.pathname.split("/");
  if (first === "library") {
    mount(libraryView(code ? decodeURIComponent(code) : null, navigate));
    return;
  }
  if (first === "account") return mount(accountView(navigate));
  if (first === "invite") return mount(inviteView(navigate));
  if (first === "g" && code) return mount(groupView(Number(code), navigate));
  const joinCode = (code || "").toUpperCase();
  let kind = first;
  const moveCode = kind === "s" && joinCode ? takeFragmentCredentials(joinCode) : null;
  const moveRefused = moveCode ? await moveHere(moveCode) : null;
  if (mine !== routing) return;
  if (moveRefused && !tokenFor(joinCode)) return mount(refusedPanel(moveRefused, joinCode, navigate));
  // A facilitator of the session's group hosts it from any device where they signed in.
  if ((kind === "s" || kind === "j") && joinCode && account()) await fetchHostPass(joinCode);
  if (mine !== routing) return;
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
  const pressed = nav.contains(document.activeElement) ? document.activeElement.dataset.language : null;
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
  // The button just pressed is rebuilt: the keyboard's focus stays on it.
  if (pressed) nav.querySelector(`[data-language="${pressed}"]`)?.focus();
}

function renderAccountLink() {
  const nav = document.getElementById("account-nav");
  const me = account();
  const link = (path, id, text) => h("a", {
    href: path, id, onclick: (event) => { event.preventDefault(); navigate(path); },
  }, text);
  nav.replaceChildren(me
    ? link("/account", "account-link", me.display_name)
    : link("/account", "sign-in-link", t("Sign in")));
}

async function rerender() {
  renderLanguageSwitch();
  renderAccountLink();
  // A live page keeps its connection and state; other pages are rebuilt and refilled.
  if (current && current.rerender) {
    current.rerender();
    refreshErrors();
  } else {
    const kept = keepPage();
    await route();
    restorePage(kept);
  }
}

onLanguageChange(rerender);
onBilingualChange(rerender);
onAccountChange(renderAccountLink);
window.addEventListener("popstate", route);
await loadAccount();
await loadLanguage();
document.body.dataset.ready = "true";
