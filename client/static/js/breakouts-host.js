// The facilitator's part of a breakout phase (docs/protocol.md §11): before the start,
// the plan (made with a group size, shown with colleague conflicts, changed by moving a
// person); while it runs, an overview of every group and a word to all of them.
// Extending the phase for everyone is the agenda's own extend.
import { phaseTitle, stepName } from "./agenda-text.js";
import {
  broadcastNote, firstName, nextStepButton, nextStepError, roundsOf, warningBanner,
} from "./breakout-parts.js";
import { timerClock } from "./countdown.js";
import { boardCommand, errors } from "./board-ui.js";
import { h } from "./dom.js";
import { t, tn } from "./i18n.js";
import { registerSection } from "./sections.js";

const SIZES = [2, 3, 4, 5, 6, 7, 8];
const DEFAULT_SIZE = 3;
// Chosen or typed but not sent yet: kept across re-renders, which happen at every event.

registerSection(12, (live, context) => {
  const { agenda } = live.state;
  if (!context.isHost || context.ended || !agenda) return null;
  const phases = agenda.phases.filter((phase) => phase.kind === "breakout" && phase.status !== "done");
  if (!phases.length) return null;
  const rounds = roundsOf(live.state);
  return h("section", { class: "card breakout-host", id: "breakout-host" },
    h("h2", {}, t("Breakout groups")),
    phases.map((phase) => {
      const round = rounds.find((r) => r.phase_id === phase.id) || null;
      return h("div", { class: "breakout-phase", dataset: { phaseId: phase.id } },
        h("h3", {}, phaseTitle(phase)),
        round && round.status === "running" ? runningPart(live, context, phase, round) : planningPart(context, phase, round));
    }),
  );
}, ["agenda", "breakouts", "group_boards", "participants"]);

function planningPart(context, phase, round) {
  if (phase.status !== "pending") return h("p", { class: "muted" }, t("Nobody was seated in this breakout phase."));
  const size = (round && round.size) || DEFAULT_SIZE;
  const id = `breakout-size-${phase.id}`;
  // The size chosen on the page (morph.js keeps the choice across renders).
  const plan = () => context.run("breakout:plan", { phase_id: phase.id, size: Number(document.getElementById(id)?.value || size) });
  return h("div", {},
    h("div", { class: "controls breakout-make" },
      h("label", { class: "toggle" }, t("Group size"),
        h("select", { id, class: "breakout-size" },
        SIZES.map((n) => h("option", { value: n, selected: n === size }, tn("%(n)s person", "%(n)s people", n))))),
      h("button", { class: "breakout-make-groups", onclick: plan }, round ? t("Make new groups") : t("Make groups")),
    ),
    round ? null : h("p", { class: "muted" },
      t("Groups are made of the participants present. Without a plan, the phase makes one as it starts.")),
    round ? conflictList(round) : null,
    round ? planEditor(context, round) : null,
  );
}

function conflictList(round) {
  if (!round.conflicts.length) return null;
  return h("ul", { class: "warning breakout-conflicts", id: "breakout-conflicts" }, round.conflicts.map((conflict) =>
    h("li", {}, t("Colleagues from %(organisation)s sit together in group %(group)s: %(names)s", {
      organisation: conflict.organisation, group: conflict.group,
      names: conflict.participant_ids.map((id) => firstName(round, id)).join(", "),
    }))));
}

// Every group with its people; each person's select seats them elsewhere, or alone in a
// new group.
function planEditor(context, round) {
  const clashing = new Set(round.conflicts.flatMap((conflict) => conflict.participant_ids));
  const newGroup = round.plan.length + 1;
  const move = (participantId) => (event) => context.run("breakout:move",
    { phase_id: round.phase_id, participant_id: participantId, group: Number(event.target.value) });
  return h("ol", { class: "breakout-groups", id: "breakout-groups" }, round.plan.map((group) =>
    h("li", { class: "breakout-group", dataset: { group: group.number } },
      h("h4", {}, t("Group %(n)s", { n: group.number })),
      h("ul", { class: "people" }, group.members.map((member) =>
        h("li", { class: clashing.has(member.participant_id) ? "conflict" : null, dataset: { participantId: member.participant_id } },
          h("span", { class: "name" }, member.first_name),
          h("select", { class: "small", "aria-label": t("Seat %(name)s in", { name: member.first_name }),
            onchange: move(member.participant_id) },
          round.plan.map((other) => h("option", { value: other.number, selected: other.number === group.number },
            t("Group %(n)s", { n: other.number }))),
          h("option", { value: newGroup }, t("A new group")))))),
    )));
}

function runningPart(live, context, phase, round) {
  return h("div", {},
    warningBanner(round),
    overview(live, context, phase, round),
    groupBoards(live, round),
    broadcastForm(context, round),
    h("details", { class: "breakout-moves" },
      h("summary", {}, t("Move people")),
      conflictList(round),
      planEditor(context, round)),
  );
}

// One row a group: its presenter, step, time left and whether its synthesis has come.
function overview(live, context, phase, round) {
  return h("div", {}, h("table", { class: "breakout-overview", id: "breakout-overview" },
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, t("Group")),
      h("th", { scope: "col" }, t("Presenter")),
      h("th", { scope: "col" }, t("Step")),
      h("th", { scope: "col" }, t("Time left")),
      h("th", { scope: "col" }, t("Synthesis")),
      h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("Next step"))))),
    h("tbody", {}, round.groups.map((group) => {
      const step = group.step_index !== null ? phase.steps[group.step_index] : null;
      return h("tr", { dataset: { group: group.number } },
        h("th", { scope: "row" }, t("Group %(n)s", { n: group.number })),
        h("td", {}, group.finished ? "–" : firstName(round, group.presenter_id)),
        h("td", {}, group.finished ? t("Through") : step ? stepName(step) : "–"),
        h("td", {}, group.finished ? "–" : timerClock(group.timer, live.offsetMs, { role: "timer" })),
        h("td", { class: "synthesis-sent" }, group.synthesis_sent ? t("Sent") : t("Not yet")),
        h("td", {}, group.finished ? null : nextStepButton(live, context, round, group,
          { class: "small quiet", "aria-label": t("Next step in group %(n)s", { n: group.number }) }, t("Next step"))),
      );
    })),
  ), nextStepError());
}

// Every group's own board, as anonymous as the plenary's: what it shows, and a reveal.
function groupBoards(live, round) {
  const boards = live.state.group_boards;
  if (!boards || boards.phase_id !== round.phase_id) return null;
  return h("details", { class: "breakout-boards", id: "breakout-boards" },
    h("summary", {}, t("The groups' boards")),
    h("p", { class: "error", id: "group-boards-error", role: "alert", hidden: !errors["group-boards-error"] },
      errors["group-boards-error"] || ""),
    h("ul", {}, boards.boards.map(({ group, board }) => h("li", { dataset: { group } },
      h("h4", {}, t("Group %(n)s", { n: group })),
      board ? groupBoardSummary(group, board) : h("p", { class: "muted" },
        t("No board: fewer than %(threshold)s people.", { threshold: boards.threshold })),
    ))));
}

function groupBoardSummary(group, board) {
  const canReveal = board.mode === "reveal" && !board.revealed && board.status !== "closed";
  return h("div", {},
    h("p", { class: "muted" }, tn("%(n)s post written.", "%(n)s posts written.", board.count)),
    canReveal ? h("button", { class: "small quiet",
      onclick: () => boardCommand("board:reveal", { group }, "group-boards-error") }, t("Reveal")) : null,
    board.posts.length ? h("ul", { class: "posts" }, board.posts.map((post) =>
      h("li", { class: "post", dataset: { postId: post.id } }, h("p", { class: "post-text" }, post.text)))) : null,
  );
}

function broadcastForm(context, round) {
  const input = h("input", { id: "breakout-broadcast-text", maxlength: 280,
    "aria-label": t("A word to every group"), placeholder: t("A word to every group") });
  const send = async (event) => {
    event.preventDefault();
    // The field on the page: a later render's handler is given to it (morph.js).
    const field = event.currentTarget.querySelector("#breakout-broadcast-text");
    const text = field.value.trim();
    if (!text) return;
    const reply = await context.run("breakout:broadcast", { phase_id: round.phase_id, text });
    if (reply.ok) field.value = "";
  };
  return h("div", {},
    h("form", { class: "inline-form", id: "breakout-broadcast-form", onsubmit: send },
      input,
      h("button", { type: "submit" }, t("Send to every group"))),
    broadcastNote(round),
  );
}
