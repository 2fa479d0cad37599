// The live agenda on the session page: where we are, the countdown, who speaks.
import { phaseTitle, personName, presenterLine, phaseKindName } from "./agenda-text.js";
import { announceTurn } from "./announce.js";
import { contentNode, minutesText } from "./content.js";
import { contentText, t, tn } from "./i18n.js";
import { hostControls, agendaEditor } from "./agenda-host.js";
import { formatClock, keepTicking, remainingSeconds, scheduleText, setSound, soundOn } from "./countdown.js";
import { h } from "./dom.js";
import { registerEventAppliers } from "./live.js";
import { registerSection } from "./sections.js";
import { floorPanel, locationPanel, turnList } from "./turns.js";

registerEventAppliers({
  "agenda:updated": (state, { agenda }) => {
    // "Ready" belongs to a phase: in the next one, nobody has said it yet.
    if (state.my_agenda && agenda.current.phase_id !== state.agenda.current.phase_id)
      state.my_agenda.ready = false;
    state.agenda = agenda;
  },
  // A hand alone: the hands of the phase we are in, nothing else of the agenda.
  "hands:updated": (state, { phase_id, hands }) => {
    if (state.agenda && state.agenda.current.phase_id === phase_id) state.agenda.hands = hands;
  },
});

// The facilitator's own words as written; content in each reader's language (or both).
function promptItem(prompt) {
  return prompt.text !== undefined ? h("li", {}, prompt.text) : contentNode("li", prompt.key);
}

function currentPhase(agenda) {
  return agenda.phases.find((p) => p.id === agenda.current.phase_id) || null;
}

// Each speaker's share in a round, from the agenda as it runs (not from a format's text,
// which cannot know how many are here).
function turnLength(phase) {
  const seconds = phase.turn_seconds;
  if (phase.kind !== "round" || !seconds) return null;
  const length = seconds % 60 === 0 ? minutesText(seconds / 60)
    : seconds < 120 ? tn("%(n)s second", "%(n)s seconds", seconds)
      : t("about %(length)s", { length: minutesText(Math.round(seconds / 60)) });
  return h("p", { class: "muted", id: "turn-length" }, t("Each speaker: %(length)s", { length }));
}

function currentTurn(agenda) {
  return agenda.turns.find((turn) => turn.id === agenda.current.turn_id) || null;
}

function nowPanel(live, context) {
  const { state } = live;
  const { agenda } = state;
  const phase = currentPhase(agenda);
  if (!phase) {
    const text = agenda.finished ? t("The agenda is through.") : t("The agenda starts when the session starts.");
    return h("p", { class: "muted", id: "agenda-status" }, text);
  }
  const turn = currentTurn(agenda);
  const step = phase.kind === "dilemma_round" && turn ? phase.steps[agenda.current.step_index] : null;
  const speaker = turn ? personName(state, turn.participant_id) : null;
  const left = remainingSeconds(live);
  return h("div", { class: "now" },
    h("div", { class: "now-text" },
      phaseTitle(phase) === phaseKindName(phase) ? null : h("p", { class: "kind" }, phaseKindName(phase)),
      phase.title || !phase.title_key
        ? h("h2", { id: "phase-title" }, phaseTitle(phase))
        : contentNode("h2", phase.title_key, { id: "phase-title" }),
      phase.intro_key ? contentNode("p", phase.intro_key, { class: "intro muted" }) : null,
      turnLength(phase),
      speaker ? h("p", { class: "speaker", id: "current-speaker" },
        step ? presenterLine(phase, speaker, step)
             : t("Speaking: %(name)s", { name: speaker })) : null,
      phase.prompts.length ? h("ul", { class: "prompts", id: "prompts" }, phase.prompts.map(promptItem)) : null,
      agenda.timer.speaker_away ? h("p", { class: "notice", role: "status" },
        t("The speaker has dropped out. Their time is paused until the facilitator resumes or moves on.")) : null,
    ),
    h("div", { class: "clock" },
      h("div", { id: "countdown", class: "countdown", role: "timer",
        "aria-label": t("Time left"), "aria-describedby": "countdown-label" }, formatClock(left)),
      h("div", { id: "countdown-label", class: "muted" }),
      h("div", { id: "schedule", class: "muted" }, scheduleText(live)),
    ),
    listeningView(live, phase, turn, step, context),
    titleForm(live, phase, turn, context),
  );
}

// The presenter's own title for their dilemma, and whether the summary may show it
// (no, unless they tick it). Rendered from what they saved; morph.js keeps what they
// type or tick. `savedHere`: the turn whose title was just saved from this page, for
// the "Saved." next to the button (state, rendered from; not a kept node).
let savedHere = null;

function titleForm(live, phase, turn, context) {
  if (phase.kind !== "dilemma_round" || phase.words || !turn || turn.participant_id !== context.you.participant_id || context.ended) {
    return null;
  }
  const saved = (live.state.my_agenda?.titles || []).find((item) => item.turn_id === turn.id);
  const save = async (event) => {
    event.preventDefault();
    const { elements } = event.currentTarget; // the fields on the page
    const reply = await context.run("turn:title", { title: elements.title.value.trim(), share: elements.share.checked });
    if (!reply.ok) return;
    const titles = (live.state.my_agenda.titles || []).filter((item) => item.turn_id !== turn.id);
    if (reply.title.title) titles.push(reply.title);
    live.state.my_agenda.titles = titles;
    savedHere = turn.id;
    context.refresh();
  };
  return h("form", { class: "dilemma-title", id: "dilemma-title-form", dataset: { key: turn.id }, onsubmit: save },
    h("label", { class: "field" },
      h("span", {}, t("A short title for your dilemma (only you see it)")),
      h("input", { id: "dilemma-title", name: "title", maxlength: 120, value: saved ? saved.title : "" })),
    h("label", { class: "toggle" },
      h("input", { type: "checkbox", id: "dilemma-title-share", name: "share", checked: saved ? saved.share : false }),
      t("It may appear in the session's summary")),
    h("button", { type: "submit", class: "small" }, t("Save title")),
    h("span", { class: "muted", id: "dilemma-title-status", role: "status" }, savedHere === turn.id ? t("Saved.") : ""));
}

// The presenter during the reflection: no input to the group (their notebook is theirs).
function listeningView(live, phase, turn, step, context) {
  if (!step || step.key !== "reflect" || !turn || turn.participant_id !== context.you.participant_id) {
    return null;
  }
  return h("div", { class: "listening", id: "listening-view" },
    h("p", {}, phase.words ? contentText(phase.words.listening_key)
      : t("Listen now: the group reflects on your dilemma. You do not answer yet.")),
  );
}

function phaseList(live, context) {
  const { agenda } = live.state;
  return h("ol", { class: "agenda-phases", id: "phases" }, agenda.phases.map((phase) =>
    h("li", { class: `agenda-phase ${phase.status}`, dataset: { phaseId: phase.id } },
      h("span", { class: "phase-name" }, phaseTitle(phase)),
      h("span", { class: "muted" }, " · ",
        phaseTitle(phase) === phaseKindName(phase) ? "" : `${phaseKindName(phase)} · `,
        t("%(n)s min", { n: Math.round(phase.planned_seconds / 60) })),
      context.isHost && !context.ended ? agendaEditor.rowTools(live, phase, context) : null,
    )));
}

function soundToggle(rerender) {
  return h("label", { class: "toggle" },
    h("input", { type: "checkbox", checked: soundOn(), onchange: (e) => { setSound(e.target.checked); rerender(); } }),
    t("Sound at time-up"));
}

let agendaOpen = null; // the reader's choice survives re-renders

registerSection(10, (live, context) => {
  if (!live.state.agenda) return null;
  keepTicking(live);
  announceTurn(live, context.you);
  const phase = currentPhase(live.state.agenda);
  return h("section", { class: "card agenda", id: "agenda" },
    nowPanel(live, context),
    context.isHost ? hostControls(live, context) : null,
    phase ? turnList(live, context) : null,
    // In a breakout phase people talk in their groups: no hands, no "ready" for the plenary.
    phase ? (phase.kind !== "breakout" ? floorPanel(live, context) : null) : locationPanel(live, context),
    h("details", { class: "agenda-list", id: "agenda-list", open: agendaOpen ?? context.isHost,
      ontoggle: (e) => { agendaOpen = e.target.open; } },
      h("summary", {}, t("Agenda")),
      phaseList(live, context),
      context.isHost && !context.ended ? agendaEditor.addForm(live, context) : null,
    ),
    context.you.role === "display" ? null : soundToggle(context.refresh),
  );
}, ["agenda", "my_agenda", "session", "participants"]);
