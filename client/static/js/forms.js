// Form pieces shared by the pages. An error box remembers the error it shows, so it
// can be said again in another language after a live switch (refreshErrors).
import { h } from "./dom.js";
import { availableLanguages, currentLanguage, endonym, errorText, t } from "./i18n.js";

const shown = new WeakMap(); // error box -> the error it shows

export function field(label, input) {
  return h("label", { class: "field" }, h("span", {}, label), input);
}

// Whether a new session is a leader network across organisations (it then asks everyone
// joining to accept its confidentiality agreement): the create and plan forms both ask.
export function networkField() {
  return h("div", { class: "check" },
    h("input", { type: "checkbox", name: "network", id: "network", "aria-describedby": "network-hint" }),
    h("label", { for: "network" }, t("A network across organisations"),
      h("br"), h("small", { class: "muted", id: "network-hint" },
        t("Everyone who joins must first accept that what is said here stays here."))));
}

// The session's language, and what it means: the create and plan forms both ask. Each
// language by its own name (as in the language switch), which is not translated.
export function languageField() {
  return h("label", { class: "field" }, h("span", {}, t("Session language")),
    h("select", { name: "language", "aria-describedby": "language-hint" },
      availableLanguages().map((language) => h("option", {
        value: language, selected: language === currentLanguage(), lang: language, translate: "no",
      }, endonym(language)))),
    h("small", { class: "muted", id: "language-hint" },
      t("The language the group speaks: the room display and the agreement use it first. Everyone still reads their own screen in the language they choose.")));
}

export function errorBox(id) {
  return h("p", { class: "error", role: "alert", hidden: true, id });
}

// error: a server error {code, params, message}, or a client one {render: () => text}.
export function showError(box, error) {
  if (error) shown.set(box, error);
  else shown.delete(box);
  box.textContent = error ? describe(error) : "";
  box.hidden = !error;
}

export function shownError(box) {
  return shown.get(box) || null;
}

export function refreshErrors(root = document) {
  for (const box of root.querySelectorAll(".error")) {
    const error = shown.get(box);
    if (error) box.textContent = describe(error);
  }
}

function describe(error) {
  return error.render ? error.render() : errorText(error);
}
