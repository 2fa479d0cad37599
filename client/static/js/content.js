// The content library in the browser: its structure from GET /api/library (once per
// page life), its words from the catalog by content key, in this viewer's language,
// and, with "both languages" on, in the others beside it (marked with their lang).
import { getJSON } from "./api.js";
import { h } from "./dom.js";
import { bilingual, contentText, otherLanguages, setBilingual, t, tn } from "./i18n.js";

let library = null;
let loading = null;

// The library if it has arrived; pages render from it synchronously once it has.
export function cachedLibrary() {
  return library;
}

export function loadLibrary() {
  loading ??= getJSON("/api/library").then((reply) => {
    if (!reply.ok) throw new Error(reply.error.message);
    library = reply.library;
    return library;
  });
  return loading;
}

export function findFormat(key) {
  return library?.formats.find((format) => format.key === key) || null;
}

export function findModel(key) {
  return library?.models.find((model) => model.key === key) || null;
}

// A content text as an element: the viewer's language, then the others if asked for.
export function contentNode(tag, key, attributes = {}) {
  const text = contentText(key);
  // A text that reads the same in another language ("Check-in") is shown once.
  const others = otherLanguages().filter((language) => contentText(key, language) !== text);
  if (!others.length) return h(tag, attributes, text);
  return h(tag, { ...attributes, class: `${attributes.class || ""} bilingual`.trim() },
    h("span", { class: "in-language" }, text),
    ...others.map((language) =>
      h("span", { class: "in-language other", lang: language }, contentText(key, language))),
  );
}

export function minutesText(minutes) {
  return tn("%(n)s minute", "%(n)s minutes", minutes);
}

// The switch for "both languages side by side"; every page with content shows it.
export function bilingualToggle() {
  const input = h("input", {
    type: "checkbox", id: "bilingual-toggle", checked: bilingual(),
    onchange: (event) => setBilingual(event.target.checked),
  });
  return h("label", { class: "toggle", for: "bilingual-toggle" }, input,
    h("span", {}, t("Show content in both languages side by side")));
}

// A link inside the app: followed without reloading the page.
export function appLink(href, navigate, attributes, ...children) {
  return h("a", {
    ...attributes, href,
    onclick: (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      navigate(href);
    },
  }, ...children);
}
