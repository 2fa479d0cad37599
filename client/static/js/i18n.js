// Translations for the browser: the server's Babel catalogs, fetched as JSON.
const LANGUAGES = ["da", "en"];
const STORAGE_KEY = "holdsport:language";
let catalog = { language: "da", messages: {} };
const listeners = new Set();

export function availableLanguages() {
  return LANGUAGES;
}

export function currentLanguage() {
  return catalog.language;
}

function preferredLanguage() {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (LANGUAGES.includes(saved)) return saved;
  for (const tag of navigator.languages || []) {
    const base = tag.toLowerCase().split("-")[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return "da";
}

export async function loadLanguage(language = preferredLanguage()) {
  const response = await fetch(`/i18n/${language}.json`);
  catalog = await response.json();
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
  for (const listener of listeners) listener(language);
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

// Content (formats, prompts) by its stable key, in the current language.
export function contentText(key) {
  return (catalog.content && catalog.content[key]) || key;
}

// Both Danish and English use two forms: one, and everything else.
export function tn(singular, plural, n, params = {}) {
  const forms = catalog.messages[singular];
  const index = n === 1 ? 0 : 1;
  const chosen = Array.isArray(forms) && forms[index] ? forms[index] : n === 1 ? singular : plural;
  return interpolate(chosen, { n, ...params });
}
