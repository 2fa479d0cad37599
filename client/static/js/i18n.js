// Translations for the browser: the server's Babel catalogs, fetched as JSON
// (docs/protocol.md). Interface text by msgid (t, tn), content by key (contentText),
// and an option to show content in every language side by side.
import { formatNumber, setLocaleData } from "./locale.js";

const STORAGE_KEY = "holdsport:language";
const BILINGUAL_KEY = "holdsport:bilingual";
const DEFAULT_LANGUAGE = "da";
const catalogs = new Map(); // language -> catalog, the current one and any shown beside it
let catalog = { language: DEFAULT_LANGUAGE, languages: [DEFAULT_LANGUAGE], messages: {}, content: {} };
const listeners = new Set();
const displayListeners = new Set();

export function availableLanguages() {
  return catalog.languages;
}

export function currentLanguage() {
  return catalog.language;
}

async function fetchCatalog(language) {
  if (catalogs.has(language)) return catalogs.get(language);
  const response = await fetch(`/i18n/${encodeURIComponent(language)}.json`);
  if (!response.ok) return null;
  const loaded = await response.json();
  catalogs.set(language, loaded);
  return loaded;
}

// The saved choice, else the browser's languages in order (what it sends as
// Accept-Language), else the default; the server answers 404 for one it lacks.
function candidates() {
  const browser = (navigator.languages || []).map((tag) => tag.toLowerCase().split("-")[0]);
  return [localStorage.getItem(STORAGE_KEY), ...browser, DEFAULT_LANGUAGE]
    .filter((code, index, all) => code && /^[a-z]{2,3}$/.test(code) && all.indexOf(code) === index);
}

// `remember: false` leaves this browser's saved choice alone (the room display follows
// its session's language, not the one whoever set up the projector reads).
export async function loadLanguage(language, { remember = true } = {}) {
  let loaded = null;
  for (const code of language ? [language] : candidates()) {
    loaded = await fetchCatalog(code);
    if (loaded) break;
  }
  if (!loaded) return;
  catalog = loaded;
  setLocaleData(catalog.locale);
  if (remember) localStorage.setItem(STORAGE_KEY, catalog.language);
  document.documentElement.lang = catalog.language;
  if (bilingual()) await loadOthers();
  for (const listener of listeners) listener(catalog.language);
}

// A catalog fetched (once) to render in beside the current one; false if the server lacks it.
export async function loadCatalog(language) {
  return Boolean(await fetchCatalog(language));
}

export function hasCatalog(language) {
  return catalogs.has(language);
}

// `render()` with every t, tn and contentText in `language` (a catalog already loaded),
// so any text helper can say the same thing in a second language side by side.
export function inLanguage(language, render) {
  const chosen = catalogs.get(language);
  if (!chosen || chosen === catalog) return render();
  const current = catalog;
  catalog = chosen;
  try {
    return render();
  } finally {
    catalog = current;
  }
}

// A language's own name for itself ("dansk", "English"), from Babel's CLDR data.
export function endonym(language) {
  return catalog.endonyms?.[language] || language;
}

// A language's name in the current language ("Danish" in English, "dansk" in Danish).
export function languageName(language) {
  return catalog.language_names?.[language] || language;
}

export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function interpolate(text, params) {
  return text.replace(/%\((\w+)\)[sd]/g, (_, name) => String(params[name] ?? ""));
}

// t("Join") looks the English source text up in the catalog, like gettext.
export function t(message, params = {}) {
  const found = catalog.messages[message];
  return interpolate(typeof found === "string" && found ? found : message, params);
}

// A server error (docs/protocol.md §6) in this page's language, from its code and params.
export function errorText({ code, params = {}, message = "" }) {
  const template = catalog.errors?.[code];
  if (!template) return message;
  const values = Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : value]),
  );
  return interpolate(template, values);
}

// The catalog's own plural rule, sent as a tree (server/core/plurals.py): no eval.
const OPERATORS = {
  "||": (a, b) => +(a || b), "&&": (a, b) => +(a && b), "==": (a, b) => +(a === b),
  "!=": (a, b) => +(a !== b), "<": (a, b) => +(a < b), ">": (a, b) => +(a > b),
  "<=": (a, b) => +(a <= b), ">=": (a, b) => +(a >= b), "+": (a, b) => a + b,
  "-": (a, b) => a - b, "*": (a, b) => a * b, "/": (a, b) => Math.trunc(a / b), "%": (a, b) => a % b,
};

function evaluate(tree, n) {
  if (tree === "n") return n;
  if (typeof tree === "number") return tree;
  const [op, a, b, c] = tree;
  if (op === "?") return evaluate(a, n) ? evaluate(b, n) : evaluate(c, n);
  if (op === "!") return +!evaluate(a, n);
  return OPERATORS[op](evaluate(a, n), evaluate(b, n));
}

// tn picks the plural form the catalog's rule names; numbers are formatted for the locale.
export function tn(singular, plural, n, params = {}) {
  const forms = catalog.messages[singular];
  const index = catalog.plural ? evaluate(catalog.plural.rule, n) : 0;
  // Missing from the catalog: the msgids are English, as gettext falls back.
  const chosen = Array.isArray(forms) && forms[index] ? forms[index] : n === 1 ? singular : plural;
  return interpolate(chosen, { ...params, n: formatNumber(n) });
}

// The text of a content key (server/content/keys.py) in a language, the current one by default.
export function contentText(key, language = catalog.language) {
  return (language === catalog.language ? catalog : catalogs.get(language))?.content?.[key] ?? "";
}

// "Both languages side by side": content also in every other language, remembered here.
export function bilingual() {
  return localStorage.getItem(BILINGUAL_KEY) === "on";
}

export function otherLanguages() {
  return bilingual() ? catalog.languages.filter((code) => code !== catalog.language && catalogs.has(code)) : [];
}

async function loadOthers() {
  await Promise.all(catalog.languages.map(fetchCatalog));
}

export async function setBilingual(on) {
  localStorage.setItem(BILINGUAL_KEY, on ? "on" : "off");
  if (on) await loadOthers();
  for (const listener of displayListeners) listener(on);
}

export function onBilingualChange(listener) {
  displayListeners.add(listener);
  return () => displayListeners.delete(listener);
}
