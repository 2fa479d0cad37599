// Actions tagged by IGLO level (docs/protocol.md §8): the list by level, the add and
// edit form, turning board posts into actions, and the follow-up of the group's open
// actions from earlier sessions.
import { LEVELS, levelName } from "./action-text.js";
import { h } from "./dom.js";
import { t, tn } from "./i18n.js";
import { registerEventAppliers } from "./live.js";
import { registerSection } from "./sections.js";

const OUTCOMES = ["done", "continue", "drop"];
const OUTCOME_NAMES = { done: () => t("Done"), continue: () => t("Continue"), drop: () => t("Drop") };
// The IGLO format's board: its columns are the levels, so a post's column is its level.
const IGLO_PREFIX = "bank.iglo.action_";

registerEventAppliers({
  "actions:updated": (state, { actions }) => {
    state.actions = actions;
  },
});

export function isIgloBoard(board) {
  return Boolean(board && board.prompts.length === 4
    && board.prompts.every((prompt, index) => prompt.key === IGLO_PREFIX + LEVELS[index]));
}

// The action being edited (its id), or null: the form edits it. What is typed in the
// form stays on the page across renders (morph.js).
let editing = null;

function ownerText(owner, you) {
  if (!owner) return null;
  if (owner.kind === "group") return t("The group");
  if (owner.participant_id && owner.participant_id === you.participant_id)
    return t("%(name)s (you)", { name: owner.name });
  return owner.name;
}

function actionLine(action, you, ...extra) {
  const owner = ownerText(action.owner, you);
  return h("li", { class: "action", dataset: { actionId: action.id, level: action.level } },
    h("span", { class: "action-text" }, action.text),
    owner ? h("span", { class: "tag" }, owner) : null,
    action.due ? h("span", { class: "muted" }, t("Due %(date)s", { date: action.due })) : null,
    ...extra);
}

function recordedList(actions, context) {
  const { you, isHost, ended, run } = context;
  if (!actions.recorded.length) return h("p", { class: "muted", id: "no-actions" }, t("No actions yet."));
  return h("div", { id: "actions-by-level" }, LEVELS.map((level) => {
    const here = actions.recorded.filter((a) => a.level === level);
    if (!here.length) return null;
    return h("div", { class: "level", dataset: { level } },
      h("h3", {}, levelName(level)),
      h("ul", { class: "actions" }, here.map((action) => actionLine(action, you,
        ended || you.role === "display" ? null : h("button", { class: "small quiet", onclick: () => startEdit(action, context) }, t("Edit")),
        isHost && !ended ? h("button", { class: "small quiet", onclick: () => run("action:delete", { action_id: action.id }) }, t("Delete")) : null))));
  }));
}

function followUpList(actions, context, inPhase) {
  const { you, isHost, ended, run } = context;
  if (!actions.carried.length) return inPhase ? h("p", { class: "muted" }, t("No open actions to follow up.")) : null;
  return h("div", { id: "follow-up" },
    h("h3", {}, inPhase ? t("Follow-up on actions") : t("Open actions from earlier sessions")),
    h("ul", { class: "actions" }, actions.carried.map((action) => actionLine(action, you,
      h("span", { class: "tag outcome", dataset: { outcome: action.outcome || "" } },
        action.outcome ? OUTCOME_NAMES[action.outcome]() : t("Not decided yet")),
      isHost && inPhase && !ended ? h("span", { class: "controls" }, OUTCOMES.map((outcome) =>
        h("button", {
          class: action.outcome === outcome ? "small" : "small quiet",
          "aria-pressed": String(action.outcome === outcome),
          dataset: { outcome },
          onclick: () => run("action:follow_up", { action_id: action.id, outcome }),
        }, OUTCOME_NAMES[outcome]()))) : null))));
}

function ownerOptions(state, selected) {
  const people = state.participants.filter((p) => p.admitted && p.present && p.role !== "display");
  return [
    h("option", { value: "", selected: selected === "" }, t("Nobody")),
    h("option", { value: "group", selected: selected === "group" }, t("The group")),
    ...people.map((p) => h("option", { value: String(p.id), selected: selected === String(p.id) }, p.display_name)),
  ];
}

function ownerValue(owner) {
  if (!owner) return "";
  return owner.kind === "group" ? "group" : String(owner.participant_id || "");
}

// Keyed by what it edits: starting an edit (or cancelling one) is a fresh form, filled
// with that action; otherwise the same form, whose typed fields morph.js keeps.
function actionForm(state, context) {
  const action = editing && state.actions.recorded.find((a) => a.id === editing);
  return h("form", { class: "action-form", id: "action-form", dataset: { key: action ? action.id : "new" },
    onsubmit: (event) => save(event, action, context) },
  h("h3", { id: "action-form-title" }, action ? t("Edit") : t("Add an action")),
  h("label", { class: "field" }, h("span", {}, t("What will you do?")),
    h("input", { name: "text", id: "action-text", maxlength: 280, required: true, value: action ? action.text : "",
      dataset: { draft: action ? `action-edit:${action.id}` : "action-text" } })),
  h("label", { class: "field inline" }, h("span", {}, t("Level")),
    h("select", { name: "level", id: "action-level" },
      LEVELS.map((value) => h("option", { value, selected: action ? action.level === value : false }, levelName(value))))),
  h("label", { class: "field inline" }, h("span", {}, t("Owner")),
    h("select", { name: "owner", id: "action-owner" }, ownerOptions(state, action ? ownerValue(action.owner) : ""))),
  h("label", { class: "field inline" }, h("span", {}, t("Due")),
    h("input", { name: "due", id: "action-due", type: "date", value: action ? action.due || "" : "" })),
  h("div", { class: "controls" },
    h("button", { type: "submit", id: "action-save" }, action ? t("Save") : t("Add action")),
    h("button", { type: "button", class: "quiet", id: "action-cancel", hidden: !action, onclick: () => stopEditing(context) }, t("Cancel"))));
}

function stopEditing(context) {
  editing = null;
  context.refresh();
}

function startEdit(action, context) {
  editing = action.id;
  context.refresh();
  document.getElementById("action-text")?.focus();
}

async function save(event, action, context) {
  event.preventDefault();
  const form = event.currentTarget; // the one on the page
  const data = new FormData(form);
  const owner = String(data.get("owner") || "");
  const payload = {
    text: String(data.get("text")),
    level: String(data.get("level")),
    owner: owner === "" ? null : owner === "group" ? "group" : "person",
    owner_id: owner === "" || owner === "group" ? null : Number(owner),
    due: data.get("due") ? String(data.get("due")) : null,
  };
  const reply = action
    ? await context.run("action:edit", { action_id: action.id, ...payload })
    : await context.run("action:add", payload);
  if (!reply.ok) return;
  if (!action) form.reset(); // a new one: the same form, emptied
  stopEditing(context);
}

// Hosts turn the shown posts of the current board into actions in one step.
function fromPosts(board, context) {
  if (!board || !board.revealed || !board.posts.length) return null;
  const iglo = isIgloBoard(board);
  const turn = async () => {
    const level = document.getElementById("posts-level")?.value; // the choice on the page
    const reply = await context.run("action:from_posts", iglo ? {} : { level });
    if (reply.ok) context.refresh();
  };
  return h("div", { class: "controls", id: "actions-from-posts" },
    iglo ? null : h("label", { class: "field inline" }, h("span", {}, t("Level for posts from this board")),
      h("select", { id: "posts-level" }, LEVELS.map((value) => h("option", { value }, levelName(value))))),
    h("button", { class: "quiet", id: "all-posts-to-actions", onclick: turn }, t("Make all shown posts actions")));
}

function renderActions(live, context) {
  const { state } = live;
  const actions = state.actions;
  if (!actions) return null;
  const phase = state.agenda && state.agenda.phases.find((p) => p.id === state.agenda.current.phase_id);
  const inFollowUp = Boolean(phase && phase.kind === "follow_up");
  const writer = !context.ended && context.you.role !== "display";
  const count = actions.recorded.length;
  return h("section", { class: "card actions-card", id: "actions" },
    h("h2", {}, t("Actions"), " ",
      h("span", { class: "count" }, tn("%(n)s action", "%(n)s actions", count))),
    followUpList(actions, context, inFollowUp),
    recordedList(actions, context),
    context.isHost && !context.ended ? fromPosts(state.board, context) : null,
    writer ? actionForm(state, context) : null);
}

registerSection(60, renderActions, ["actions", "agenda", "board", "participants", "session"]);
