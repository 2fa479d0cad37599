// The live session page: who is here, the status, and the facilitator's controls.
import { hasOwnToken, tokenFor } from "./credentials.js";
import { forgetAllDrafts, keepDrafts, restoreDrafts } from "./drafts.js";
import { h } from "./dom.js";
import { keepFocus } from "./focus.js";
import { morphChildren } from "./morph.js";
import { connectLive } from "./live.js";
import { currentLanguage, errorText, onLanguageChange, t, tn } from "./i18n.js";
import { errorBox, showError } from "./forms.js";
import { projectorView } from "./projector.js";
import { pageSections, sectionsIn } from "./sections.js";
import { resetSummary } from "./summary.js";

const STATUS_TEXT = {
  waiting: () => t("Waiting to start"),
  running: () => t("In progress"),
  ended: () => t("Ended"),
};

export function sessionView(code, navigate) {
  const token = tokenFor(code);
  resetSummary();
  const page = h("div", {});
  // Outside the part rebuilt at every event: an open dialog would close when moved.
  const ending = h("dialog", { id: "end-dialog", "aria-labelledby": "end-dialog-title", "aria-describedby": "end-dialog-text" });
  const moving = h("dialog", { id: "device-dialog", "aria-labelledby": "device-dialog-title" });
  const root = h("div", { class: "session", id: "session" }, page, ending, moving);
  keepDrafts(root, code);
  const problem = errorBox();
  let refused = null;
  // Cancelled, or the session ended under it: the focus goes where the person was.
  ending.addEventListener("close", () => {
    if (document.activeElement && document.activeElement !== document.body) return;
    (document.getElementById("end-session") || document.getElementById("session-title"))?.focus();
  });
  // The page was rebuilt while the dialog was open: the focus goes back to its button.
  moving.addEventListener("close", () => {
    if (document.activeElement && document.activeElement !== document.body) return;
    document.getElementById("use-elsewhere")?.focus();
  });
  let links = null; // the join and room display links, asked for while this person is a host
  let asking = false;

  const live = connectLive(token, () => render(), (error) => {
    refused = error;
    render(true);
  });

  async function run(name, payload = {}) {
    const reply = await live.command(name, payload);
    showError(problem, reply.ok ? null : reply.error);
    return reply;
  }

  async function leave() {
    forgetAllDrafts(code);
    await live.command("participant:leave");
    live.close();
    navigate("/");
  }

  // Asked for whenever this person is a host (again): also right after being made one.
  function linksFor(isHost) {
    if (!isHost) links = null;
    else if (!links && !asking) {
      asking = true;
      live.command("session:links").then((reply) => {
        asking = false;
        if (!reply.ok) return; // asked again at the next render
        links = { join: reply.join_url, display: reply.display_url };
        render(true);
      });
    }
    return links;
  }

  // A link and QR code that make another device this same person (docs/protocol.md §1).
  async function useElsewhere() {
    const reply = await run("participant:device_link", { token: tokenFor(code) });
    if (!reply.ok) return;
    moving.replaceChildren(...deviceDialog(moving, reply));
    moving.showModal();
  }

  function askToEnd() {
    ending.replaceChildren(...endDialog(ending, async () => {
      const reply = await run("session:end");
      ending.close();
      if (reply.ok) document.getElementById("session-title")?.focus();
    }));
    ending.showModal();
  }

  // The page's own sections, beside the features' (sections.js), by order.
  const own = [
    { order: 0, reads: ["session", "connection"], render: () => header(live) },
    { order: 1, reads: [], render: () => problem },
    { order: 2, reads: ["session"], render: (_, c) => (c.isHost && !c.ended ? hostPanel(live.state.session, links, run) : null) },
    { order: 3, reads: ["participants"], render: (_, c) => {
      const atTheDoor = live.state.participants.filter((p) => !p.admitted && p.present);
      return c.isHost && !c.ended && atTheDoor.length ? doorCard(atTheDoor, run) : null;
    } },
    { order: 95, reads: ["participants"], render: (_, c) => participantsCard(live.state.participants, c.you, c.ended, run) },
    { order: 96, reads: [], render: (_, c) => (c.mayEnd ? endCard(askToEnd) : null) },
    { order: 97, reads: [], render: (_, c) => h("p", { class: "controls" },
      hasOwnToken(code) && !c.ended ? h("button", { class: "quiet", id: "use-elsewhere", "aria-haspopup": "dialog",
        onclick: useElsewhere }, t("Use on another device")) : null,
      h("button", { class: "quiet", id: "leave", onclick: leave }, t("Leave session"))) },
  ];
  const sections = pageSections(own);
  const shown = { sections: sectionsIn(page), showing: null };

  // Everything: after a language switch, or when a section's own state changed (refresh).
  const refresh = () => render(true);

  // Mostly at each event: the sections that read what changed render again.
  function render(everything = false) {
    const mayEnd = live.state && live.state.session.status !== "ended"
      && ["facilitator", "cofacilitator"].includes(live.state.you.role);
    if (ending.open && !mayEnd) ending.close(); // someone else ended it, or the role went
    const show = (mode, node) => {
      // The projector again: patched in place (morph.js), so its live regions stay.
      if (mode === "projector" && shown.showing === mode) morphChildren(page, node);
      else page.replaceChildren(node);
      shown.showing = mode;
    };
    if (refused && (!live.state || ["removed_from_session", "session_deleted"].includes(refused.code)))
      return show("refused", refusedPanel(refused, code, navigate));
    if (!live.state) return show("connecting", h("p", { class: "muted" }, t("Connecting…")));
    const { session, you } = live.state;
    if (you.role === "waiting") return show("door", doorPanel(session, leave));
    if (you.role === "display") { // the room's screen: a page of its own, for a projector
      document.body.dataset.view = "projector";
      return show("projector", projectorView(live, code, refresh));
    }
    const isHost = you.role === "facilitator" || you.role === "cofacilitator";
    const ended = session.status === "ended";
    const fresh = shown.showing !== "session";
    if (fresh) {
      shown.showing = "session";
      shown.sections = sectionsIn(page);
    }
    linksFor(isHost);
    const context = { you, isHost, ended, mayEnd, run, refresh, key: `${you.role}:${session.status}:${Boolean(links)}` };
    // Focus stays on what it was on (morph.js keeps the element); when that element went
    // (a button that became another), it goes to its stand-in or nearby.
    const focus = keepFocus(page, "session-title");
    shown.sections(sections, live, context, everything || fresh);
    focus();
    restoreDrafts(page, code);
  }

  // Server-rendered text (error messages) follows the language this browser shows.
  const unsubscribe = onLanguageChange(() =>
    live.command("client:set_language", { language: currentLanguage() }));
  render();
  const dispose = () => {
    delete document.body.dataset.view;
    unsubscribe();
    live.close();
  };
  return { view: root, dispose, rerender: refresh };
}

function header(live) {
  const { session } = live.state;
  return h("header", { class: "session-head" },
    h("div", {},
      h("h1", { id: "session-title", tabindex: "-1" }, session.title),
      session.group_name !== session.title ? h("p", { class: "muted" }, session.group_name) : null,
    ),
    h("div", { class: "badges" },
      h("span", { class: `status status-${session.status}`, id: "session-status", dataset: { status: session.status } },
        STATUS_TEXT[session.status]()),
      connectionBadge(live),
    ),
  );
}

function participantsCard(participants, you, ended, run) {
  const inside = participants.filter((p) => p.admitted);
  const people = inside.filter((p) => p.present);
  return h("section", { class: "card" },
    h("h2", {}, t("Participants"),
      " ",
      h("span", { class: "count", id: "present-count" }, tn("%(n)s present", "%(n)s present", people.length))),
    h("ul", { class: "people", id: "participants" }, inside.map((p) => personRow(p, you, ended, run))),
  );
}

// Connected, reconnecting, or catching up on what this screen missed (docs/protocol.md).
function connectionBadge(live) {
  const [state, text] = !live.connected ? ["offline", t("Reconnecting…")]
    : live.catchingUp ? ["syncing", t("Catching up…")]
    : ["online", t("Connected")];
  return h("span", { class: state, id: "connection", dataset: { state } }, text);
}

const LOCATION_TEXT = { room: () => t("in the room"), remote: () => t("remote") };

function personRow(person, you, ended, run) {
  const grant = (role) => run("participant:set_role", { participant_id: person.id, role });
  return h("li", { class: person.present ? "present" : "away", dataset: { participantId: person.id } },
    h("span", { class: "dot", "aria-hidden": "true" }),
    h("span", { class: "name" }, person.display_name),
    person.organisation ? h("span", { class: "org" }, person.organisation) : null,
    person.location ? h("span", { class: "org" }, LOCATION_TEXT[person.location]()) : null,
    person.role === "facilitator" ? h("span", { class: "tag" }, t("Facilitator")) : null,
    person.role === "cofacilitator" ? h("span", { class: "tag" }, t("Co-facilitator")) : null,
    you.role === "facilitator" && !ended && person.role === "participant"
      ? h("button", { class: "quiet small", onclick: () => grant("cofacilitator") }, t("Make co-facilitator")) : null,
    you.role === "facilitator" && !ended && person.role === "cofacilitator"
      ? h("button", { class: "quiet small", onclick: () => grant("participant") }, t("Remove co-facilitator")) : null,
    person.id === you.participant_id ? h("span", { class: "tag" }, t("You")) : null,
    person.present ? null : h("span", { class: "muted" }, t("Away")),
    mayRemove(you, person) ? h("button", { class: "quiet small remove", onclick: () => {
      if (confirm(t("Remove %(name)s from the session? They cannot come back with this link.", { name: person.display_name })))
        run("participant:remove", { participant_id: person.id });
    } }, t("Remove")) : null,
  );
}

function mayRemove(you, person) {
  if (person.id === you.participant_id || person.role === "facilitator") return false;
  if (person.role === "cofacilitator") return you.role === "facilitator";
  return you.role === "facilitator" || you.role === "cofacilitator";
}

// People who typed the code and wait to be let in: the host sees each name first.
function doorCard(waiting, run) {
  return h("section", { class: "card door", id: "door" },
    h("h2", {}, t("At the door"), " ",
      h("span", { class: "count" }, tn("%(n)s waits", "%(n)s wait", waiting.length))),
    h("p", { class: "muted" }, t("Let in only people you know are part of the group.")),
    h("ul", { class: "people" }, waiting.map((person) =>
      h("li", { dataset: { participantId: person.id } },
        h("span", { class: "name" }, person.display_name),
        person.organisation ? h("span", { class: "org" }, person.organisation) : null,
        h("button", { class: "small admit", onclick: () => run("participant:admit", { participant_id: person.id }) },
          t("Let in")),
        h("button", { class: "quiet small", onclick: () => run("participant:remove", { participant_id: person.id }) },
          t("Turn away")),
      ))),
    waiting.length > 1
      ? h("button", { id: "admit-all", onclick: () => run("participant:admit_all") }, t("Let everyone in")) : null,
  );
}

// What someone who joined sees until a host lets them in: nothing of the session yet.
function doorPanel(session, leave) {
  return h("section", { class: "card narrow", id: "waiting-room" },
    h("h1", {}, session.title),
    h("p", { role: "status" }, t("You are at the door. The facilitator will let you in in a moment.")),
    h("p", { class: "muted" }, t("Only people the facilitator lets in can see and take part in the session.")),
    h("button", { class: "quiet", id: "leave", onclick: leave }, t("Leave")),
  );
}

// The host console: starting, the door, and what to share (the links come from the server).
function hostPanel(session, links, run) {
  return h("section", { class: "card host" },
    h("h2", {}, t("Facilitator")),
    session.status === "waiting" ? h("div", { class: "controls" },
      h("button", { id: "start-session", onclick: () => run("session:start") }, t("Start session"))) : null,
    h("label", { class: "field inline" }, h("span", {}, t("Who lets people in")),
      h("select", { id: "admission", onchange: (event) => run("session:set_admission", { admission: event.target.value }) },
        h("option", { value: "host", selected: session.admission === "host" }, t("I let each person in")),
        h("option", { value: "code", selected: session.admission === "code" }, t("Anyone with the join code")))),
    h("dl", { class: "share" },
      h("dt", {}, t("Join code")),
      h("dd", { class: "join-code", id: "join-code" }, session.join_code),
      links ? [
        h("dt", {}, t("Join link")),
        h("dd", {}, h("code", { id: "join-link" }, links.join)),
        h("dt", {}, t("Room display link")),
        h("dd", {}, h("code", { id: "display-link" }, links.display)),
      ] : null,
    ),
    h("p", { class: "muted" }, t("Whoever has the room display link sees the session as the room does: give it only to the room's screen.")),
    session.status === "running" ? h("label", { class: "toggle" },
      h("input", { type: "checkbox", id: "show-join", checked: session.show_join,
        onchange: (event) => run("session:show_join", { show: event.target.checked }) }),
      t("Show the join code in full on the room display")) : null,
    session.network ? h("p", { id: "agreements", role: "status" },
      // Acceptances, not people: someone turned away or joining twice counts (protocol §1).
      tn("The confidentiality agreement has been accepted %(count)s time.",
        "The confidentiality agreement has been accepted %(count)s times.",
        session.agreements, { count: session.agreements })) : null,
  );
}

// Ending is kept apart from the everyday controls, and asks first.
function endCard(askToEnd) {
  return h("section", { class: "card end-card", id: "end-card" },
    h("h2", {}, t("End the session")),
    h("p", { class: "muted" }, t("When the meeting is over, end the session for everyone.")),
    h("button", { class: "quiet", id: "end-session", "aria-haspopup": "dialog", onclick: askToEnd }, t("End session…")),
  );
}

// The dialog's contents; Escape cancels (the browser's own for a modal dialog), and the
// focus goes back to the button that opened it.
function endDialog(dialog, confirmEnd) {
  const confirmButton = h("button", { class: "danger", id: "end-confirm", onclick: () => {
    confirmButton.disabled = true;
    confirmEnd();
  } }, t("End the session for everyone"));
  return [
    h("h2", { id: "end-dialog-title" }, t("End the session?")),
    h("p", { id: "end-dialog-text" }, t("Everyone's countdowns stop, the board and the agenda freeze, and nobody can join or write any more. This cannot be undone.")),
    h("div", { class: "controls" },
      confirmButton,
      h("button", { class: "quiet", id: "end-cancel", autofocus: true, onclick: () => dialog.close() }, t("Cancel"))),
  ];
}

// The move link as text and as a QR code; the code made on the server (an SVG document,
// parsed, not run: no script or style in it) and shown as an image of the link.
function deviceDialog(dialog, reply) {
  const qr = new DOMParser().parseFromString(reply.qr_svg, "image/svg+xml").documentElement;
  qr.setAttribute("role", "img");
  qr.setAttribute("aria-label", t("QR code of the link"));
  return [
    h("h2", { id: "device-dialog-title" }, t("Use on another device")),
    h("p", {}, t("Scan the code with your other device's camera, or open the link there. You continue there as yourself, with your own posts; this screen keeps working too.")),
    h("div", { class: "qr", id: "device-qr" }, document.importNode(qr, true)),
    h("p", {}, h("code", { id: "device-link" }, reply.link)),
    h("p", { class: "muted" }, t("The link works once, within 5 minutes. Keep it to yourself: whoever opens it takes part as you.")),
    h("div", { class: "controls" },
      h("button", { class: "quiet", id: "device-close", autofocus: true, onclick: () => dialog.close() }, t("Close"))),
  ];
}

export function refusedPanel(error, code, navigate) {
  return h("section", { class: "card narrow" },
    h("h1", {}, t("Cannot open this session")),
    h("p", { class: "error", role: "alert" }, errorText(error) || t("Your link or credentials are not valid for this session.")),
    h("button", { onclick: () => navigate(`/j/${code}`) }, t("Join with your name")),
  );
}
