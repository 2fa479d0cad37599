// What a screen reader hears without looking: two live regions outside <main>, so no
// re-render replaces them, and nothing else of the page's changes is announced. The
// countdown's warnings go to an assertive region, turn changes to a polite one.
import { personName } from "./agenda-text.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";

const regions = {};

function region(kind) {
  if (!regions[kind]) {
    // aria-live without a role: an alert or status role here would stand beside every
    // page's own error and status messages, for assistive technology and tests alike.
    regions[kind] = h("div", {
      id: `announce-${kind}`, class: "visually-hidden",
      "aria-live": kind === "timer" ? "assertive" : "polite", "aria-atomic": "true",
    });
    document.body.append(regions[kind]);
  }
  return regions[kind];
}

// Made when the page loads: a region must exist before its text changes to be heard.
if (typeof document !== "undefined") {
  region("timer");
  region("turn");
}

// A new node each time, so the same words twice (another segment's time-up) are heard.
export function announce(kind, text) {
  region(kind).replaceChildren(h("p", {}, text));
}

// "X is speaking now" when the speaker changes: the next turn, or a raised hand given the
// floor (and back); not at the first render.
let seen = { live: null, speaker: null };

export function announceTurn(live, you) {
  const { agenda } = live.state;
  const hand = agenda.hands.find((item) => item.status === "speaking");
  const turn = agenda.turns.find((item) => item.id === agenda.current.turn_id);
  const speaker = hand ? `hand:${hand.id}` : turn ? `turn:${turn.id}` : null;
  const person = (hand || turn)?.participant_id;
  if (seen.live === live && seen.speaker !== speaker && speaker) {
    announce("turn", person === you.participant_id
      ? t("It is your turn to speak")
      : t("%(name)s is speaking now", { name: personName(live.state, person) }));
  }
  seen = { live, speaker };
}
