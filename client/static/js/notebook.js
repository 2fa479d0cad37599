// The private notebook (docs/protocol.md §8): this person's own notes, saved on the server
// sealed with their key, and shown on their own screens only. What is typed is kept in
// memory until the server has it, so a reconnect sends it again instead of losing it.
import { h, saveFile } from "./dom.js";
import { forgetDraft } from "./drafts.js";
import { errorText, t } from "./i18n.js";
import { registerSection } from "./sections.js";

const SAVE_DELAY_MS = 700;
const books = new WeakMap(); // live -> this screen's notebook

function newEntryId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_");
}

function bookOf(live, refresh) {
  let book = books.get(live);
  if (book) {
    book.refresh = refresh;
    return book;
  }
  book = {
    open: false, entries: new Map(), drafts: new Map(), kinds: new Map(), timers: new Map(),
    nowIds: new Map(), takeawayId: null, status: "", refresh,
    fields: new Map(), // entry id -> its field's id, under which drafts.js keeps its draft
  };
  books.set(live, book);
  const load = () => live.command("notebook:get").then((reply) => {
    if (!reply.ok) return;
    book.entries = new Map(reply.notebook.entries.map((entry) => [entry.id, entry]));
    for (const id of book.drafts.keys()) save(live, book, id); // unsent before the reconnect
    book.refresh();
  });
  live.socket.on("connect", load);
  if (live.connected) load();
  // From this person's other screens only (never the room).
  live.socket.on("notebook:entry_saved", ({ entry }) => {
    book.entries.set(entry.id, entry);
    if (!book.drafts.has(entry.id)) book.refresh();
  });
  live.socket.on("notebook:entry_deleted", ({ id }) => {
    book.entries.delete(id);
    book.drafts.delete(id);
    book.refresh();
  });
  return book;
}

function showStatus(book, status) {
  book.status = status;
  const node = document.getElementById("notebook-status");
  if (node) node.textContent = statusText(status);
}

function statusText(status) {
  if (status === "saving") return t("Saving…");
  if (status === "saved") return t("Saved");
  if (status === "offline") return t("Not saved yet: it is sent when the connection is back.");
  return status && status.message ? status.message : "";
}

function typed(live, book, id, kind, text) {
  book.drafts.set(id, text);
  book.kinds.set(id, kind);
  clearTimeout(book.timers.get(id));
  book.timers.set(id, setTimeout(() => save(live, book, id), SAVE_DELAY_MS));
  showStatus(book, live.connected ? "saving" : "offline");
}

async function save(live, book, id) {
  const text = book.drafts.get(id);
  if (text === undefined) return;
  if (!live.connected) return showStatus(book, "offline"); // sent again on reconnect
  const kind = book.kinds.get(id) || book.entries.get(id)?.kind || "free";
  showStatus(book, "saving");
  const reply = await live.command("notebook:write", { entry_id: id, kind, text });
  if (!reply.ok) return showStatus(book, { message: errorText(reply.error) });
  book.entries.set(id, reply.entry);
  if (book.drafts.get(id) === text) { // else newer text is on its way
    book.drafts.delete(id);
    if (book.fields.has(id)) forgetDraft(live.state.session.join_code, book.fields.get(id));
  }
  showStatus(book, book.drafts.size ? "saving" : "saved");
}

async function remove(live, book, id) {
  const reply = await live.command("notebook:delete", { entry_id: id });
  if (!reply.ok && reply.error.code !== "note_not_found") return showStatus(book, { message: errorText(reply.error) });
  book.entries.delete(id);
  book.drafts.delete(id);
  book.refresh();
}

async function exportNotes(live, book) {
  const reply = await live.command("notebook:export");
  if (!reply.ok) return showStatus(book, { message: errorText(reply.error) });
  saveFile(reply.content, `${reply.mime};charset=utf-8`, reply.filename);
}

// Where we are now: the phase, and whoever else holds the floor in it.
function nowContext(state) {
  const agenda = state.agenda;
  if (!agenda || state.session.status !== "running") return { key: "free", presenter: null };
  const { phase_id: phaseId, turn_id: turnId } = agenda.current;
  const turn = agenda.turns.find((item) => item.id === turnId);
  const presenter = turn && turn.participant_id !== state.you.participant_id
    ? state.participants.find((p) => p.id === turn.participant_id) : null;
  return { key: `${phaseId}:${presenter ? turnId : ""}`, presenter };
}

function textOf(book, id) {
  return book.drafts.has(id) ? book.drafts.get(id) : book.entries.get(id)?.text || "";
}

function noteField(live, book, id, kind, label, extra = {}) {
  book.fields.set(id, extra.fieldId || `note-${id}`);
  return h("label", { class: "field" },
    h("span", {}, label),
    h("textarea", {
      id: extra.fieldId || `note-${id}`, rows: extra.rows || 3, maxlength: 5000,
      oninput: (e) => typed(live, book, id, kind, e.target.value),
    }, textOf(book, id)),
  );
}

function entryLabel(entry) {
  const phase = entry.phase_title || t("Notes");
  return entry.turn_of ? t("%(phase)s, while %(name)s presented", { phase, name: entry.turn_of }) : phase;
}

function renderNotebook(live, context) {
  if (!live.state || context.you.role === "display") return null;
  const book = bookOf(live, context.refresh);
  const toggle = h("button", {
    class: "quiet", id: "notebook-toggle", "aria-expanded": book.open ? "true" : "false",
    onclick: () => { book.open = !book.open; book.refresh(); },
  }, book.open ? t("Hide my notebook") : t("My notebook"));
  if (!book.open) return h("section", { class: "card notebook", id: "notebook" }, toggle);

  const { key, presenter } = nowContext(live.state);
  if (!book.nowIds.has(key)) book.nowIds.set(key, newEntryId());
  const nowId = book.nowIds.get(key);
  const takeaway = [...book.entries.values()].find((entry) => entry.kind === "takeaway");
  book.takeawayId = book.takeawayId || (takeaway ? takeaway.id : newEntryId());
  const shown = new Set([nowId, book.takeawayId]);
  const earlier = [...book.entries.values()].filter((entry) => !shown.has(entry.id));
  return h("section", { class: "card notebook", id: "notebook" },
    h("h2", {}, t("My notebook"), " ", toggle),
    h("p", { class: "muted" }, t("Only you can read these notes, on any screen where you are in this session.")),
    context.ended ? null : noteField(live, book, nowId, presenter ? "listening" : "free",
      presenter ? t("Listening notes while %(name)s presents", { name: presenter.display_name }) : t("Notes for now"),
      { fieldId: "notebook-now", rows: 4 }),
    noteField(live, book, book.takeawayId, "takeaway", t("What I take with me"), { fieldId: "notebook-takeaways" }),
    earlier.length ? h("h3", {}, t("Earlier notes")) : null,
    earlier.map((entry) => h("div", { class: "notebook-entry" },
      noteField(live, book, entry.id, entry.kind, entryLabel(entry)),
      h("button", { class: "quiet", onclick: () => remove(live, book, entry.id) }, t("Delete note")),
    )),
    h("p", {},
      h("span", { id: "notebook-status", class: "muted", role: "status" }, statusText(book.status)), " ",
      h("button", { id: "notebook-export", onclick: () => exportNotes(live, book) }, t("Export my notes"))),
  );
}

registerSection(90, renderNotebook, ["agenda", "participants", "session"]);
