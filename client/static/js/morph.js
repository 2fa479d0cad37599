// Patches a freshly rendered tree into the one on screen instead of replacing it, so
// that what a person is doing survives every render: the field they type in stays the
// same element, with its text, caret, selection, focus and scroll. An element is kept
// when its tag and key match (its id, a data-…-id such as a post's or a person's, its
// data-key, a field's name (and a choice's value), else its place among the unkeyed
// ones); its attributes, handlers and children are brought up to date. A field's value
// (a box's or a choice's checked, a select's option) is set only while the person has
// not changed it since it was rendered, and never while it has the focus. This is the
// one place that keeps what a person types: features render fresh nodes every time.
import { HANDLERS, setHandler } from "./dom.js";

const RENDERED = Symbol("rendered"); // a field's value as last rendered into it
const FIELDS = new Set(["INPUT", "TEXTAREA", "SELECT"]);

// An id and a data-key together: a form keyed by what it edits is another form when that
// changes, with fresh fields, even under the same id.
function keyOf(node) {
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const key = node.getAttribute("data-key");
  if (node.id) return key === null ? `#${node.id}` : `#${node.id}|${key}`;
  if (key !== null) return `data-key=${key}`;
  const { attributes } = node;
  for (let i = 0; i < attributes.length; i += 1) {
    const { name } = attributes[i];
    if (name.startsWith("data-") && name.endsWith("-id")) return `${name}=${attributes[i].value}`;
  }
  const name = FIELDS.has(node.nodeName) && node.getAttribute("name");
  if (!name) return null;
  return node.type === "radio" || node.type === "checkbox" ? `name=${name}:${node.value}` : `name=${name}`;
}

// Same tag (and input type): the key is compared by the caller.
const similar = (a, b) => a.nodeType === b.nodeType && a.nodeName === b.nodeName
  && (a.nodeName !== "INPUT" || a.type === b.type);

const valueOf = (field) => (field.type === "checkbox" || field.type === "radio" ? field.checked : field.value);

function setValue(field, value) {
  if (field.type === "checkbox" || field.type === "radio") field.checked = value;
  else field.value = value;
}

// What the person typed or chose in `field` since it was rendered, or null when it holds
// what was rendered (a render may still replace that): for parts that show what is typed
// (a count of characters, "not saved yet").
export function typed(field) {
  if (!field || !(RENDERED in field) || valueOf(field) === field[RENDERED]) return null;
  return valueOf(field);
}

// A node that joins the page: its fields remember what they were rendered with.
export function adopt(node) {
  if (node.nodeType !== Node.ELEMENT_NODE) return node;
  if (FIELDS.has(node.nodeName)) node[RENDERED] = valueOf(node);
  for (const field of node.querySelectorAll("input, textarea, select")) field[RENDERED] = valueOf(field);
  return node;
}

// Makes `old` look like `next`; returns the node now in the page (`old`, or `next` when
// they are not the same kind of thing and `next` takes its place).
export function morph(old, next) {
  if (old === next) return old;
  if (!similar(old, next) || keyOf(old) !== keyOf(next)) {
    old.replaceWith(adopt(next));
    return next;
  }
  update(old, next);
  return old;
}

// `old` and `next` are the same kind of node.
function update(old, next) {
  if (old.nodeType !== Node.ELEMENT_NODE) {
    if (old.nodeValue !== next.nodeValue) old.nodeValue = next.nodeValue;
    return;
  }
  // Mostly a part looks as it did: then only what the markup does not show comes across.
  if (old.isEqualNode(next)) return carry(old, next);
  patchAttributes(old, next);
  takeHandlers(old, next);
  const field = FIELDS.has(old.nodeName);
  const before = field ? valueOf(old) : null;
  if (old.nodeName !== "TEXTAREA") patchChildren(old, next); // a textarea's text is its value
  if (field) patchField(old, next, before);
}

// Equal markup: the handlers of the newer render, and the fields' rendered values.
function carry(old, next) {
  takeHandlers(old, next);
  if (FIELDS.has(old.nodeName)) patchField(old, next, valueOf(old));
  for (let a = old.firstElementChild, b = next.firstElementChild; a; a = a.nextElementSibling, b = b.nextElementSibling) {
    carry(a, b);
  }
}

function takeHandlers(old, next) {
  const theirs = next[HANDLERS];
  const mine = old[HANDLERS];
  if (mine) for (const type of Object.keys(mine)) if (!theirs || !(type in theirs)) delete mine[type];
  if (theirs) for (const type of Object.keys(theirs)) setHandler(old, type, theirs[type]);
}

function patchAttributes(old, next) {
  for (let i = old.attributes.length - 1; i >= 0; i -= 1) {
    const { name } = old.attributes[i];
    if (!next.hasAttribute(name)) old.removeAttribute(name);
  }
  for (const { name, value } of next.attributes) {
    if (old.getAttribute(name) === value) continue;
    // Through the CSSOM: the Content-Security-Policy refuses style="…" attributes.
    if (name === "style") old.style.cssText = next.style.cssText;
    else old.setAttribute(name, value);
  }
}

// `before`: the value a field had before its element was patched (patching a select's
// options may move its selection).
function patchField(old, next, before) {
  const wanted = valueOf(next);
  const edited = document.activeElement === old || (RENDERED in old && before !== old[RENDERED]);
  const keep = edited ? before : wanted;
  if (valueOf(old) !== keep) setValue(old, keep);
  old[RENDERED] = wanted;
}

function patchChildren(parent, nextParent) {
  const wanted = [...nextParent.childNodes];
  const keyed = new Map();
  const unkeyed = [];
  for (const child of parent.childNodes) {
    const key = keyOf(child);
    if (key) keyed.set(key, child);
    else unkeyed.push(child);
  }
  let searchFrom = 0;
  let cursor = parent.firstChild; // every node before it is in its place
  for (const child of wanted) {
    let placed = child;
    const key = keyOf(child);
    let match = null;
    if (key) {
      match = keyed.get(key) || null;
      keyed.delete(key);
    } else {
      // The next unkeyed one of the same kind: a part that appears or goes does not
      // shift its neighbours onto other elements.
      for (let index = searchFrom; index < unkeyed.length; index += 1) {
        if (!similar(unkeyed[index], child)) continue;
        match = unkeyed[index];
        searchFrom = index + 1;
        break;
      }
    }
    if (match && similar(match, child)) {
      update(match, child);
      placed = match;
    } else adopt(child);
    if (placed === cursor) cursor = cursor.nextSibling;
    else parent.insertBefore(placed, cursor);
  }
  while (cursor) {
    const gone = cursor;
    cursor = cursor.nextSibling;
    gone.remove();
  }
}

// `container`'s children become `nodes` (null ones left out), patched in place.
export function morphChildren(container, ...nodes) {
  const next = container.cloneNode(false);
  next.append(...nodes.filter(Boolean));
  patchChildren(container, next);
}
