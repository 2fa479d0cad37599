// Breakout phases on the live session page (docs/protocol.md §11): a participant's own
// group while the phase runs (where to sit, who presents, the step, the group's own
// countdown, moving on, the synthesis), the room display's seating in large type, and
// every group's synthesis back in the plenary. The hosts' part is in breakouts-host.js.
import { stepName } from "./agenda-text.js";
import {
  broadcastNote, firstName, groupNames, nextStepButton, nextStepError, phaseOf, roundTitle, roundsOf,
  runningRound, warningBanner,
} from "./breakout-parts.js";
import { groupBoardCard } from "./board.js";
import { timerClock } from "./countdown.js";
import { h } from "./dom.js";
import { typed } from "./morph.js";
import { t } from "./i18n.js";
import { registerEventAppliers } from "./live.js";
import { registerSection } from "./sections.js";

// Each connection gets its own view (§11): it replaces the one we hold.
registerEventAppliers({ "breakout:updated": (state, { breakouts }) => { state.breakouts = breakouts; } });

// Before the agenda: in a breakout phase, one's group is what matters on a phone.
registerSection(9, (live, context) => {
  if (!live.state.agenda) return null;
  const round = runningRound(live.state);
  if (!round) return null;
  if (context.you.role === "participant") return groupCard(live, context, round);
  return null;
}, ["agenda", "breakouts", "group_boards", "participants"]);

registerSection(11, syntheses, ["agenda", "breakouts", "group_boards"]);

// Back in the plenary, every group's synthesis (the room display shows it too).
export function syntheses(live) {
  if (!live.state.agenda || runningRound(live.state)) return null;
  const ended = roundsOf(live.state).filter((round) => round.status === "ended");
  if (!ended.length) return null;
  return h("section", { class: "card breakout-syntheses", id: "breakout-syntheses" },
    h("h2", {}, t("From the groups")),
    ended.map((round) => h("div", { class: "breakout-round", dataset: { phaseId: round.phase_id } },
      h("h3", {}, roundTitle(live.state, round)),
      round.syntheses.length
        ? h("ul", { class: "syntheses" }, round.syntheses.map((synthesis) =>
          h("li", { dataset: { group: synthesis.number } },
            h("h4", {}, t("Group %(n)s", { n: synthesis.number }),
              " ", h("span", { class: "muted" }, groupNames(live.state, round, synthesis.number))),
            h("p", { class: "synthesis-text" }, synthesis.text))))
        : h("p", { class: "muted" }, t("No group wrote a synthesis.")))),
  );
}

// The room's screen: where everyone sits, readable across the room. The common
// countdown is the agenda's. `say` renders a text in each language the room reads.
export function displayPlan(live, round, say = (render) => render()) {
  return h("section", { class: "card breakout-display", id: "breakout-plan" },
    h("h2", {}, say(() => roundTitle(live.state, round))),
    warningBanner(round),
    h("ul", { class: "breakout-plan" }, round.plan.map((group) =>
      h("li", { dataset: { group: group.number } }, say(() =>
        t("Group %(n)s: %(names)s", { n: group.number, names: groupNames(live.state, round, group.number) }))))),
    broadcastNote(round),
  );
}

function groupCard(live, context, round) {
  const group = round.my_group;
  if (!group) {
    return h("section", { class: "card breakout-card", id: "breakout-card" },
      h("h2", {}, roundTitle(live.state, round)),
      h("p", {}, t("You are not in a group yet. The facilitator will give you a seat.")),
      warningBanner(round), broadcastNote(round));
  }
  const others = group.members.filter((id) => id !== context.you.participant_id).map((id) => firstName(round, id));
  return h("section", { class: "card breakout-card", id: "breakout-card", dataset: { group: group.number } },
    warningBanner(round),
    h("h2", { id: "breakout-group" }, t("You are in group %(n)s", { n: group.number })),
    h("p", { class: "breakout-seat", id: "breakout-seat" }, others.length
      ? t("Sit at table %(n)s with %(names)s.", { n: group.number, names: others.join(", ") })
      : t("Sit at table %(n)s.", { n: group.number })),
    broadcastNote(round),
    group.finished ? finishedNote() : presenting(live, context, round, group),
    synthesisForm(round, group, context),
    groupBoard(live, context, round, group),
  );
}

// The group's own anonymous board, if the phase gives groups one; a group smaller than
// the threshold has none, and is told why (docs/protocol.md §11).
function groupBoard(live, context, round, group) {
  const boards = live.state.group_boards;
  if (!boards || boards.phase_id !== round.phase_id) return null;
  const entry = boards.boards.find((candidate) => candidate.group === group.number);
  if (!entry) return null;
  if (!entry.board) {
    return h("p", { class: "notice", id: "group-board-none" },
      t("Your group has no anonymous board: it has fewer than %(threshold)s people, and with so few it is too easy to tell who wrote what.",
        { threshold: boards.threshold }));
  }
  return groupBoardCard(live, context, entry.board);
}

function finishedNote() {
  return h("p", { class: "notice", id: "breakout-finished" },
    t("Your group is through: everyone has presented. Write your synthesis for the plenary now."));
}

// Who presents, in which step, on the group's own countdown; anyone in it moves it on.
function presenting(live, context, round, group) {
  const phase = phaseOf(live.state, round);
  const step = phase && group.step_index !== null ? phase.steps[group.step_index] : null;
  const stepText = step ? stepName(step) : "";
  const mine = group.presenter_id === context.you.participant_id;
  return h("div", {},
    h("div", { class: "breakout-now" },
      h("div", {},
        h("p", { class: "speaker", id: "breakout-presenter" }, mine
          ? t("You present: %(step)s", { step: stepText })
          : t("%(name)s presents: %(step)s", { name: firstName(round, group.presenter_id), step: stepText })),
        mine && step && step.key === "reflect"
          ? h("p", { class: "listening" }, t("Listen now: the group reflects on your dilemma. You do not answer yet.")) : null,
      ),
      h("div", { class: "clock" },
        timerClock(group.timer, live.offsetMs, { id: "breakout-countdown", class: "countdown", role: "timer" }),
        h("div", { class: "muted" }, t("Your group's time for this step"))),
    ),
    nextStepButton(live, context, round, group, { id: "breakout-next" }, t("Next step")),
    nextStepError(),
  );
}

// The group's saved text, rendered into the field; morph.js keeps what is typed there
// (another member's saved text replaces it only while nothing is typed here), and the
// status says whether what the field holds is saved.
function synthesisForm(round, group, context) {
  const saved = group.synthesis || "";
  const typedHere = typed(document.getElementById("breakout-synthesis"));
  const save = async (event) => {
    event.preventDefault();
    const field = event.currentTarget.elements.synthesis; // the one on the page
    const text = field.value.trim();
    const reply = await context.run("breakout:synthesis", { phase_id: round.phase_id, text });
    if (!reply.ok) return;
    field.value = text;
    field.dataset.saved = text;
    showSaved(field);
  };
  return h("form", { class: "breakout-synthesis", id: "breakout-synthesis-form", dataset: { key: round.phase_id }, onsubmit: save },
    h("label", { class: "field" },
      h("span", {}, t("Your group's synthesis for the plenary")),
      h("small", { class: "muted" }, t("One text for the whole group: anyone in it can write it, and everyone sees it back in the plenary.")),
      h("textarea", { id: "breakout-synthesis", name: "synthesis", maxlength: 1000, rows: 4, dataset: { saved },
        oninput: (event) => showSaved(event.target) }, saved)),
    h("div", { class: "write-foot" },
      h("p", { class: "muted", id: "breakout-synthesis-status", role: "status" }, savedText(typedHere ?? saved, saved)),
      h("button", { type: "submit", class: "small" }, t("Save synthesis"))),
  );
}

function savedText(text, saved) {
  if (text !== saved) return t("Not saved yet");
  return saved ? t("Saved") : "";
}

function showSaved(field) {
  const status = document.getElementById("breakout-synthesis-status");
  if (status) status.textContent = savedText(field.value, field.dataset.saved);
}
