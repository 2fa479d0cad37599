// Speaking order, raised hands, ready signals and where people sit.
import { personName } from "./agenda-text.js";
import { h } from "./dom.js";
import { t, tn } from "./i18n.js";

let dragged = null;

function waitingTurns(agenda) {
  return agenda.turns.filter((turn) => !turn.left_out && !turn.ended_at && turn.id !== agenda.current.turn_id);
}

export function turnList(live, context) {
  const { state } = live;
  const { agenda } = state;
  if (!agenda.turns.length) return null;
  const phase = agenda.phases.find((p) => p.id === agenda.current.phase_id);
  const dilemma = phase && phase.kind === "dilemma_round";
  const waiting = waitingTurns(agenda);
  const reorder = (ids) => context.run("turn:reorder", { turn_ids: ids });
  const moveBy = (turn, by) => {
    const ids = waiting.map((w) => w.id);
    const from = ids.indexOf(turn.id);
    const to = from + by;
    if (to < 0 || to >= ids.length) return;
    ids.splice(to, 0, ids.splice(from, 1)[0]);
    reorder(ids);
  };
  const dropOn = (target) => (event) => {
    event.preventDefault();
    if (!dragged || dragged === target.id) return;
    const ids = waiting.map((w) => w.id).filter((id) => id !== dragged);
    ids.splice(ids.indexOf(target.id), 0, dragged);
    reorder(ids);
  };
  // Presenters are numbered in the order they present; the open ones (presenting now or
  // still to come) are what the facilitator's choice changes.
  const presenters = agenda.turns.filter((turn) => turn.presenting);
  const open = (turn) => turn.id === agenda.current.turn_id || waiting.includes(turn);
  const togglePresenter = (turn) => {
    const chosen = presenters.filter((p) => open(p) && p.id !== turn.id).map((p) => p.id);
    if (!turn.presenting) chosen.push(turn.id);
    if (chosen.length) context.run("turn:choose_presenters", { turn_ids: chosen });
  };
  const mine = agenda.turns.find((turn) => turn.participant_id === context.you.participant_id);
  const myOpen = mine && !mine.left_out && open(mine);

  const rows = agenda.turns.map((turn) => {
    const speaking = turn.id === agenda.current.turn_id;
    const isWaiting = waiting.includes(turn);
    const status = turn.left_out ? (turn.left_out === "passed" ? t("passed") : t("skipped"))
      : speaking ? t("speaking") : turn.ended_at ? t("done") : "";
    const canDrag = context.isHost && isWaiting;
    const presenting = dilemma && !turn.left_out ? (turn.presenting
      ? h("span", { class: "tag presenter" }, t("Presenter %(n)s", { n: presenters.indexOf(turn) + 1 }))
      : h("span", { class: "muted not-presenting" }, t("not presenting this round"))) : null;
    return h("li", {
      class: ["turn", speaking ? "speaking" : "", turn.left_out ? "left-out" : "", turn.ended_at && !speaking ? "spoken" : "",
        dilemma && turn.presenting ? "presenting" : ""].join(" "),
      dataset: { turnId: turn.id }, draggable: canDrag ? "true" : null,
      ondragstart: canDrag ? () => { dragged = turn.id; } : null,
      ondragover: canDrag ? (e) => e.preventDefault() : null,
      ondrop: canDrag ? dropOn(turn) : null,
    },
      h("span", { class: "name" }, personName(state, turn.participant_id)),
      presenting,
      status ? h("span", { class: "muted" }, status) : null,
      context.isHost && (isWaiting || speaking) ? h("span", { class: "row-tools host-tools", role: "group", "aria-label": t("Facilitator") },
        isWaiting ? h("button", { class: "icon", "aria-label": t("Earlier"), title: t("Earlier"), onclick: () => moveBy(turn, -1) }, "↑") : null,
        isWaiting ? h("button", { class: "icon", "aria-label": t("Later"), title: t("Later"), onclick: () => moveBy(turn, 1) }, "↓") : null,
        dilemma ? h("label", { class: "toggle small" },
          h("input", { type: "checkbox", class: "presents", checked: Boolean(turn.presenting),
            disabled: turn.presenting && presenters.filter(open).length === 1,
            onchange: () => togglePresenter(turn) }), t("presents")) : null,
        h("button", { class: "quiet small", onclick: () => context.run("turn:move_to_end", { turn_id: turn.id }) }, t("Move to end")),
        h("button", { class: "quiet small skip", onclick: () => context.run("turn:skip", { turn_id: turn.id }) }, t("Skip")),
      ) : null,
    );
  });
  return h("div", { class: "turns" },
    h("h3", {}, t("Speaking order")),
    // Passing is the person's own choice, kept apart from the facilitator's tools in the list.
    myOpen ? h("p", { class: "my-turn" },
      h("span", {}, mine.id === agenda.current.turn_id ? t("It is your turn.") : t("Your turn is coming.")),
      h("button", { class: "quiet small", id: "pass-turn", onclick: () => context.run("turn:pass") }, t("Pass my turn")),
    ) : null,
    h("ol", { class: "turn-list", id: "turns" }, rows),
    context.isHost && waiting.length > 1
      ? h("button", { class: "quiet small", id: "shuffle-turns", onclick: () => context.run("turn:shuffle") }, t("Random order for those waiting"))
      : null,
  );
}

export function floorPanel(live, context) {
  const { state } = live;
  const { agenda } = state;
  const person = context.you.participant_id !== null;
  const mine = agenda.hands.find((hand) => hand.participant_id === context.you.participant_id);
  const me = state.participants.find((p) => p.id === context.you.participant_id);
  const ready = state.my_agenda && state.my_agenda.ready;
  const setReady = async (value) => {
    const reply = await context.run("ready:set", { ready: value });
    if (reply.ok) {
      state.my_agenda = { ...state.my_agenda, ready: reply.ready };
      context.refresh();
    }
  };
  return h("div", { class: "floor" },
    h("div", { class: "controls" },
      person ? (mine
        ? h("button", { class: "quiet", id: "lower-hand", dataset: { focus: "hand" }, onclick: () => context.run("hand:lower") }, t("Lower my hand"))
        : h("button", { id: "raise-hand", dataset: { focus: "hand" }, onclick: () => context.run("hand:raise") }, t("Raise my hand"))) : null,
      person ? h("button", { class: ready ? "" : "quiet", id: "ready", "aria-pressed": String(Boolean(ready)),
        onclick: () => setReady(!ready) }, ready ? t("I am ready ✓") : t("I am ready")) : null,
      h("span", { class: "muted", id: "ready-count" }, tn("%(n)s ready", "%(n)s ready", agenda.ready_count)),
      person && me ? locationChoice(me, context) : null,
    ),
    agenda.hands.length ? h("div", {},
      h("h3", {}, t("Raised hands")),
      h("ol", { class: "hands", id: "hands" }, agenda.hands.map((hand) =>
        h("li", { class: hand.status, dataset: { handId: hand.id } },
          h("span", { class: "name" }, personName(state, hand.participant_id)),
          hand.status === "speaking" ? h("span", { class: "tag" }, t("has the floor")) : null,
          context.isHost ? h("span", { class: "row-tools" },
            hand.status === "raised" ? h("button", { class: "small", onclick: () => context.run("hand:give_word", { hand_id: hand.id }) }, t("Give the floor")) : null,
            h("button", { class: "quiet small", onclick: () => context.run("hand:dismiss", { hand_id: hand.id }) }, t("Lower")),
          ) : null,
        ))),
      context.isHost ? h("button", { class: "quiet small", onclick: () => context.run("hand:clear") }, t("Lower all hands")) : null,
    ) : null,
  );
}

// Before the start there is no floor yet, but people can already say where they are:
// the first round's order alternates by it.
export function locationPanel(live, context) {
  const me = live.state.participants.find((p) => p.id === context.you.participant_id);
  if (!me || context.ended || live.state.agenda.finished) return null;
  return h("div", { class: "floor controls" }, locationChoice(me, context));
}

function locationChoice(me, context) {
  const choose = (event) => context.run("participant:set_location", { location: event.target.value || null });
  return h("label", { class: "toggle" }, t("I am"),
    h("select", { id: "location", onchange: choose },
      h("option", { value: "", selected: !me.location }, t("not saying")),
      h("option", { value: "room", selected: me.location === "room" }, t("in the room")),
      h("option", { value: "remote", selected: me.location === "remote" }, t("remote")),
    ));
}
