// Small pieces the board's views share: elements that outlive a re-render (so a half-
// written post survives someone else's event), and the latest live state for handlers.
const kept = new Map();

// The live connection and page context of the latest render; handlers read it when run.
export const latest = { live: null, context: null };

// The same element on every render for this key: typed text and its caret survive.
export function keep(key, make) {
  if (!kept.has(key)) kept.set(key, make());
  return kept.get(key);
}

export function forget(key) {
  kept.delete(key);
}

// Call before re-rendering; the returned function puts focus back where it was.
export function rememberFocus() {
  const element = document.activeElement;
  if (!element || ![...kept.values()].some((node) => node === element || node.contains(element))) {
    return () => {};
  }
  const { selectionStart: start, selectionEnd: end } = element;
  return () =>
    queueMicrotask(() => {
      if (!element.isConnected) return;
      element.focus();
      if (typeof start === "number" && element.setSelectionRange) element.setSelectionRange(start, end);
    });
}

// Board commands: their errors show next to the board, where the person is looking.
export async function boardCommand(name, payload = {}) {
  const reply = await latest.live.command(name, payload);
  const box = document.getElementById("board-error");
  if (box) {
    box.textContent = reply.ok ? "" : reply.error.message;
    box.hidden = reply.ok;
  }
  return reply;
}
