// What a person types but has not sent yet, kept in this browser only (localStorage, never
// sent anywhere) so that it survives a closed tab (while the page stays open, renders
// keep the field itself: morph.js). A field keyed by its `data-draft`, id or name is
// saved as it is typed, put back when it first appears empty, and forgotten when its
// form is sent or its feature says the text is saved (forgetDraft).
const PREFIX = "holdsport:draft:";
const TEXT_TYPES = new Set(["text", "search", ""]);

function keyOf(field) {
  const isText = field.tagName === "TEXTAREA"
    || (field.tagName === "INPUT" && TEXT_TYPES.has(field.getAttribute("type") || ""));
  const name = field.dataset.draft || field.id || field.name;
  return isText && name ? name : null;
}

const storageKey = (code, name) => `${PREFIX}${code}:${name}`;
const offered = new WeakSet(); // fields a draft was offered to: once, when they appeared

function store(code, name, value) {
  try {
    if (value) localStorage.setItem(storageKey(code, name), value);
    else localStorage.removeItem(storageKey(code, name));
  } catch {
    // storage full or refused: the draft lives on screen only, as before
  }
}

// Saves on every keystroke, forgets on sending; `root` is the session page.
export function keepDrafts(root, code) {
  root.addEventListener("input", (event) => {
    const name = keyOf(event.target);
    if (name) store(code, name, event.target.value);
  });
  root.addEventListener("submit", (event) => {
    for (const field of event.target.querySelectorAll("input, textarea")) {
      const name = keyOf(field);
      if (name) store(code, name, "");
    }
  }, true);
}

// After a render: a field that has just appeared empty, whose draft is kept, gets it
// back, and its feature hears of it as if it had been typed (an input event), so what
// shows the field's text (a count of characters, "not saved yet") follows.
export function restoreDrafts(root, code) {
  for (const field of root.querySelectorAll("input, textarea")) {
    if (offered.has(field)) continue;
    offered.add(field);
    const name = keyOf(field);
    if (!name || field.value || field.disabled || field.readOnly) continue;
    const draft = localStorage.getItem(storageKey(code, name));
    if (!draft) continue;
    field.value = draft;
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }
}

// A feature that saves by itself (the notebook) says when the text is safely sent.
export function forgetDraft(code, name) {
  store(code, name, "");
}

// Leaving the session: nothing typed for it stays behind in this browser.
export function forgetAllDrafts(code) {
  const prefix = storageKey(code, "");
  for (let index = localStorage.length - 1; index >= 0; index -= 1) {
    const key = localStorage.key(index);
    if (key && key.startsWith(prefix)) localStorage.removeItem(key);
  }
}
