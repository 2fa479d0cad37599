// The facilitator's agenda controls: the countdown, moving on and back, editing phases.
import { kindName } from "./agenda-text.js";
import { cachedLibrary, loadLibrary } from "./content.js";
import { h } from "./dom.js";
import { contentText, t } from "./i18n.js";

// The fields' values live on the page only (morph.js keeps them across renders); the
// handlers read them from there.
const TURN_KINDS = ["round", "dilemma_round"];
const DEFAULT_KIND = "discussion";

export function hostControls(live, context) {
  const { agenda } = live.state;
  const segment = agenda.segment;
  const timer = agenda.timer;
  const running = live.state.session.status === "running" && agenda.current.phase_id !== null;
  const send = (name, extra = {}) => context.run(name, { segment, ...extra });
  const extend = (seconds) => send("timer:extend", { seconds });
  const custom = (event) => {
    const minutes = Number(event.currentTarget.closest(".extend-form").querySelector("input").value);
    if (minutes) extend(Math.round(minutes * 60));
  };
  if (!running) return null;
  return h("div", { class: "controls host-controls", id: "host-controls" },
    h("button", { class: "quiet", id: "agenda-previous", onclick: () => send("agenda:previous") }, t("Back")),
    timer.status === "paused"
      ? h("button", { id: "timer-resume", onclick: () => send("timer:resume") }, t("Resume"))
      : h("button", { id: "timer-pause", class: "quiet", disabled: timer.status !== "running", onclick: () => send("timer:pause") }, t("Pause")),
    h("button", { class: "quiet", id: "extend-1", onclick: () => extend(60) }, t("+1 min")),
    h("button", { class: "quiet", id: "extend-5", onclick: () => extend(300) }, t("+5 min")),
    h("span", { class: "extend-form" },
      h("input", { type: "number", step: "1", min: "-60", max: "60", id: "extend-custom", "aria-label": t("Minutes to add (negative takes away)"),
        name: "extend-minutes" }),
      h("button", { class: "quiet", onclick: custom }, t("Add minutes")),
    ),
    h("button", { id: "agenda-next", onclick: () => send("agenda:next") }, t("Next")),
    h("label", { class: "toggle" },
      h("input", { type: "checkbox", checked: agenda.alternate_locations,
        onchange: (e) => context.run("agenda:set_alternate", { alternate: e.target.checked }) }),
      t("Alternate remote and in-room speakers")),
  );
}

// Any question from the banks can be added to a phase that is not over.
function questionPicker(phase, context) {
  const library = cachedLibrary();
  if (!library) {
    loadLibrary().then(context.refresh, () => {});
    return null;
  }
  const keys = phase.prompts.filter((p) => p.key).map((p) => p.key);
  const add = (event) => {
    const key = event.target.value;
    event.target.value = ""; // the picker offers again; the phase shows what was added
    if (key) context.run("agenda:update_phase", { phase_id: phase.id, prompt_keys: [...keys, key] });
  };
  return h("select", { class: "question-picker", "aria-label": t("Add a question from the library"), onchange: add },
    h("option", { value: "" }, t("Add a question from the library")),
    library.banks.map((bank) => h("optgroup", { label: contentText(bank.title_key) },
      bank.items.filter((item) => !keys.includes(item.content_key)).map((item) =>
        h("option", { value: item.content_key }, contentText(item.content_key))))));
}

// A board phase's board is chosen before it starts: shown to everyone before they write.
function boardSettings(phase, context) {
  const settings = phase.board_settings || {};
  const set = (change) => context.run("agenda:update_phase", { phase_id: phase.id, ...change });
  return h("span", { class: "board-settings" },
    h("select", { "aria-label": t("How posts appear"), onchange: (e) => set({ board_mode: e.target.value }) },
      h("option", { value: "reveal", selected: settings.mode !== "live" }, t("Write, then reveal")),
      h("option", { value: "live", selected: settings.mode === "live" }, t("Live, in shuffled batches"))),
    h("label", { class: "toggle" },
      h("input", { type: "checkbox", checked: Boolean(settings.named), onchange: (e) => set({ board_named: e.target.checked }) }),
      t("Named: everyone sees who wrote what")),
    h("label", { class: "toggle" }, t("Anonymity threshold"),
      h("input", { type: "number", min: "2", max: "20", class: "minutes-input", value: settings.threshold || 3,
        onchange: (e) => set({ board_threshold: Number(e.target.value) }) })),
  );
}

// How a round's speaking order is built when it starts (OrderMode on the server); in a
// dilemma round "join" means by rotation, the facilitator last.
function orderOptions(kind, selected) {
  return [
    h("option", { value: "join", selected: selected === "join" },
      kind === "dilemma_round" ? t("by rotation, facilitator last") : t("in order of arrival")),
    h("option", { value: "random", selected: selected === "random" }, t("random order")),
    h("option", { value: "manual", selected: selected === "manual" }, t("I arrange it")),
  ];
}

// A breakout phase may give each group its own anonymous board, with a threshold that
// applies per group (a smaller group gets none).
function groupBoardSettings(phase, context) {
  const settings = phase.board_settings || {};
  const set = (change) => context.run("agenda:update_phase", { phase_id: phase.id, ...change });
  return h("span", { class: "board-settings" },
    h("label", { class: "toggle" },
      h("input", { type: "checkbox", class: "group-boards", checked: Boolean(settings.groups),
        onchange: (e) => set({ board_groups: e.target.checked }) }),
      t("Each group gets its own anonymous board")),
    settings.groups ? h("label", { class: "toggle" }, t("Anonymity threshold"),
      h("input", { type: "number", min: "2", max: "20", class: "minutes-input", value: settings.threshold || 3,
        onchange: (e) => set({ board_threshold: Number(e.target.value) }) })) : null,
  );
}

function rowTools(live, phase, context) {
  if (phase.status === "done") return null;
  if (phase.status === "active") return h("span", { class: "row-tools" }, questionPicker(phase, context));
  const move = (by) => context.run("agenda:move_phase", { phase_id: phase.id, position: phase.position + by });
  const setMinutes = (event) => {
    const minutes = Number(event.target.value);
    if (minutes >= 1) context.run("agenda:update_phase", { phase_id: phase.id, minutes });
  };
  return h("span", { class: "row-tools" },
    h("input", { type: "number", min: "1", max: "240", value: Math.round(phase.planned_seconds / 60),
      "aria-label": t("Planned minutes"), class: "minutes-input", onchange: setMinutes }),
    h("select", { "aria-label": t("At time-up"),
      onchange: (e) => context.run("agenda:update_phase", { phase_id: phase.id, advance: e.target.value }) },
      h("option", { value: "manual", selected: phase.advance === "manual" }, t("wait for the facilitator")),
      h("option", { value: "auto", selected: phase.advance === "auto" }, t("move on by itself"))),
    h("button", { class: "icon", title: t("Earlier"), "aria-label": t("Earlier"), onclick: () => move(-1) }, "↑"),
    h("button", { class: "icon", title: t("Later"), "aria-label": t("Later"), onclick: () => move(1) }, "↓"),
    h("button", { class: "icon", title: t("Remove"), "aria-label": t("Remove"),
      onclick: () => context.run("agenda:remove_phase", { phase_id: phase.id }) }, "×"),
    questionPicker(phase, context),
    TURN_KINDS.includes(phase.kind) ? h("select", { class: "order-mode", "aria-label": t("Speaking order"),
      onchange: (e) => context.run("agenda:update_phase", { phase_id: phase.id, order_mode: e.target.value }) },
    orderOptions(phase.kind, phase.order_mode)) : null,
    phase.kind === "board" ? boardSettings(phase, context) : null,
    phase.kind === "breakout" ? groupBoardSettings(phase, context) : null,
  );
}

function addForm(live, context) {
  async function add(event) {
    event.preventDefault();
    const form = event.currentTarget; // the one on the page, with what was chosen in it
    const data = new FormData(form);
    const kind = String(data.get("kind"));
    const reply = await context.run("agenda:add_phase", {
      kind, title: String(data.get("title")), minutes: Number(data.get("minutes")), advance: String(data.get("advance")),
      ...(TURN_KINDS.includes(kind) ? { order_mode: String(data.get("order_mode")) } : {}),
      // "first": as early as the agenda allows (the server keeps what has run in place).
      ...(data.get("where") === "first" ? { position: 0 } : {}),
    });
    if (reply.ok) form.elements.title.value = "";
  }
  // The kind chosen decides which fields show: the choice is the page's own (the select,
  // kept by morph.js), read here at each render.
  const kind = document.getElementById("new-phase-kind")?.value || DEFAULT_KIND;
  const kinds = ["round", "dilemma_round", "discussion", "board", "break", "pulse", "breakout"];
  return h("form", { class: "add-phase", id: "add-phase", onsubmit: add },
    h("select", { id: "new-phase-kind", name: "kind", "aria-label": t("Kind"), onchange: () => context.refresh() },
      kinds.map((value) => h("option", { value, selected: value === DEFAULT_KIND }, kindName(value)))),
    h("input", { id: "new-phase-title", name: "title", placeholder: t("Title"), "aria-label": t("Title"), required: true, maxlength: 120 }),
    h("input", { id: "new-phase-minutes", name: "minutes", type: "number", min: "1", max: "240", "aria-label": t("Planned minutes"),
      value: "10", class: "minutes-input" }),
    h("select", { name: "advance", "aria-label": t("At time-up") },
      h("option", { value: "manual" }, t("wait for the facilitator")),
      h("option", { value: "auto" }, t("move on by itself"))),
    TURN_KINDS.includes(kind) ? h("select", { id: "new-phase-order", name: "order_mode", "aria-label": t("Speaking order") },
      orderOptions(kind, "join")) : null,
    h("select", { id: "new-phase-where", name: "where", "aria-label": t("Where") },
      h("option", { value: "last" }, t("at the end")),
      h("option", { value: "first" }, t("as early as possible"))),
    h("button", { type: "submit" }, t("Add phase")),
  );
}

export const agendaEditor = { rowTools, addForm };
