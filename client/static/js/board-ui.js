// Small pieces the board's views share: the latest live state for handlers, and the
// error of the last board command that failed.

// The live connection and page context of the latest render; handlers read it when run.
export const latest = { live: null, context: null };

// Error box id -> the message of the board command that last failed there. State, not a
// kept node: the box renders from it (errorBox), so it survives every render; the next
// command sent from that box's board clears it.
export const errors = {};

// Board commands: their errors show next to the board, where the person is looking
// (`errorId`: a breakout group's board has its own box).
export async function boardCommand(name, payload = {}, errorId = "board-error") {
  const reply = await latest.live.command(name, payload);
  const message = reply.ok ? "" : reply.error.message;
  if ((errors[errorId] || "") !== message) {
    errors[errorId] = message;
    latest.context?.refresh();
  }
  return reply;
}
