// Pieces every breakout view shares (docs/protocol.md §11): the rounds of the snapshot,
// first names from the plan, and the common notices (the one-minute warning and the
// facilitator's broadcast) kept as the same elements across renders, so a screen reader
// hears them when they change, not at every event.
import { phaseTitle } from "./agenda-text.js";
import { h } from "./dom.js";
import { errorText, t } from "./i18n.js";

export function roundsOf(state) {
  return (state.breakouts && state.breakouts.rounds) || [];
}

export function runningRound(state) {
  return roundsOf(state).find((round) => round.status === "running") || null;
}

export function phaseOf(state, round) {
  return state.agenda.phases.find((phase) => phase.id === round.phase_id) || null;
}

export function roundTitle(state, round) {
  const phase = phaseOf(state, round);
  return phase ? phaseTitle(phase) : t("Breakout groups");
}

export function firstName(round, participantId) {
  for (const group of round.plan) {
    const member = group.members.find((m) => m.participant_id === participantId);
    if (member) return member.first_name;
  }
  return "?";
}

// "Bo, Cecilie, Dan": the names as people typed them, in the group's order. A room
// display's plan has no names (docs/protocol.md §11): it shows those of its own
// `participants`, who are only people present, so nobody gone is put up on the wall.
export function groupNames(state, round, number) {
  const group = round.plan.find((g) => g.number === number);
  if (!group) return "";
  const shown = (id) => state.participants.find((p) => p.id === id && p.present && p.admitted);
  return group.members.map((m) => m.first_name ?? shown(m.participant_id)?.display_name.trim().split(/\s+/)[0])
    .filter(Boolean).join(", ");
}

const regions = new Map(); // a key -> its live region, kept across renders

function liveRegion(key, attributes) {
  if (!regions.has(key)) regions.set(key, h("p", attributes));
  return regions.get(key);
}

function say(region, text) {
  if (region.textContent !== text) region.textContent = text;
  return region;
}

export function warningBanner(round) {
  const banner = liveRegion(`warning-${round.phase_id}`, { class: "breakout-warning", id: "breakout-warning", role: "alert" });
  return say(banner, round.warning ? t("One minute left: wrap up, the plenary starts soon.") : "");
}

export function broadcastNote(round) {
  const note = liveRegion(`broadcast-${round.phase_id}`, { class: "breakout-broadcast", id: "breakout-broadcast", role: "status" });
  const { broadcast } = round;
  return say(note, broadcast ? t("From the facilitator: %(text)s", { text: broadcast.text }) : "");
}

// A group's next step. Two people in it often press at once: the later one is refused
// (`stale_segment`) while the event already shows the group moved on, so that refusal
// needs no word; any other is said next to the button.
export function nextStepButton(live, round, group, attributes, label) {
  const send = async () => {
    const payload = { phase_id: round.phase_id, group: group.number, segment: group.segment };
    const reply = await live.command("breakout:next", payload);
    const problem = document.getElementById("breakout-next-error");
    if (problem) problem.textContent = reply.ok || reply.error.code === "stale_segment" ? "" : errorText(reply.error);
  };
  return h("button", { ...attributes, onclick: send }, label);
}

export function nextStepError() {
  return h("p", { class: "error", id: "breakout-next-error", role: "alert" });
}
