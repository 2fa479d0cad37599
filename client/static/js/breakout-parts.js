// Pieces every breakout view shares (docs/protocol.md §11): the rounds of the snapshot,
// first names from the plan, and the common notices (the one-minute warning and the
// facilitator's broadcast), which morph.js keeps as the same elements across renders, so
// a screen reader hears them when they change, not at every event.
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

// Live regions: morph.js keeps each (by its id and phase) across renders, so a screen
// reader hears only a change of its text.
export function warningBanner(round) {
  return h("p", { class: "breakout-warning", id: "breakout-warning", role: "alert", dataset: { key: round.phase_id } },
    round.warning ? t("One minute left: wrap up, the plenary starts soon.") : "");
}

export function broadcastNote(round) {
  const { broadcast } = round;
  return h("p", { class: "breakout-broadcast", id: "breakout-broadcast", role: "status", dataset: { key: round.phase_id } },
    broadcast ? t("From the facilitator: %(text)s", { text: broadcast.text }) : "");
}

// A group's next step. Two people in it often press at once: the later one is refused
// (`stale_segment`) while the event already shows the group moved on, so that refusal
// needs no word; any other is said next to the button.
// The refusal of the last press, said until the next one: state the box renders from
// (nextStepError), so other people's events do not wipe it.
let nextProblem = "";

export function nextStepButton(live, context, round, group, attributes, label) {
  const send = async () => {
    const payload = { phase_id: round.phase_id, group: group.number, segment: group.segment };
    const reply = await live.command("breakout:next", payload);
    const problem = reply.ok || reply.error.code === "stale_segment" ? "" : errorText(reply.error);
    if (problem === nextProblem) return;
    nextProblem = problem;
    context.refresh();
  };
  return h("button", { ...attributes, onclick: send }, label);
}

export function nextStepError() {
  return h("p", { class: "error", id: "breakout-next-error", role: "alert" }, nextProblem);
}
