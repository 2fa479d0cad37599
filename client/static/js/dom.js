// A tiny DOM builder. Text goes in as text nodes, never as HTML.
// Handlers (on…) are kept on the element (`handlers`) behind one listener per event type,
// so that morph.js can hand a newer render's handlers to an element it keeps.
export const HANDLERS = Symbol("handlers");

function dispatch(event) {
  const handler = this[HANDLERS][event.type];
  if (handler) return handler.call(this, event);
}

export function setHandler(element, type, handler) {
  if (!element[HANDLERS]) element[HANDLERS] = {};
  if (!(type in element[HANDLERS])) element.addEventListener(type, dispatch);
  element[HANDLERS][type] = handler;
}

function childNode(child) {
  return child instanceof Node ? child : document.createTextNode(String(child));
}

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) setHandler(element, name.slice(2), value);
    else if (name === "dataset") Object.assign(element.dataset, value);
    // Through the CSSOM: the Content-Security-Policy refuses style="…" attributes.
    else if (name === "style" && typeof value === "object") for (const [property, v] of Object.entries(value)) element.style.setProperty(property, v);
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(childNode(child));
  }
  return element;
}

export function mount(view) {
  const app = document.getElementById("app");
  app.replaceChildren(view);
}

// Hands `content` to the browser as a download named `filename` (`type`: its media type).
export function saveFile(content, type, filename) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
