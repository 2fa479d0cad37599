// Small pieces the board's views share: elements that outlive a re-render (so a half-
// written post survives someone else's event; session.js puts the focus back), and the
// latest live state for handlers.
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

// Board commands: their errors show next to the board, where the person is looking
// (`errorId`: a breakout group's board has its own box).
export async function boardCommand(name, payload = {}, errorId = "board-error") {
  const reply = await latest.live.command(name, payload);
  const box = document.getElementById(errorId);
  if (box) {
    box.textContent = reply.ok ? "" : reply.error.message;
    box.hidden = reply.ok;
  }
  return reply;
}
