// The live connection: a snapshot first, then events applied in version order.
// A gap in versions, a `session:version` above ours (events were lost between server
// processes), or a reconnect fetches a fresh snapshot (docs/protocol.md). While one is
// on its way, `live.catchingUp` is true and the page says so.
import { currentLanguage, t } from "./i18n.js";

const NAMESPACE = "/session";
const SYNC_TIMEOUT_MS = 10_000;
const COMMAND_TIMEOUT_MS = 15_000;

// The answer to a command whose ack never came in time (its connection closed under it,
// or the server is stuck): an error like the server's, so the page stops waiting. The
// command may or may not have been done; the snapshot after the reconnect says (§2a).
function noAnswer() {
  const render = () => t("The server did not answer. Check whether it was done, then try again.");
  return { ok: false, error: { code: "no_answer", params: {}, message: render(), render } };
}

// Each feature says how its events change the state: name -> (state, payload) => void.
// An applier sets fields from the payload (idempotent), it does not count.
const APPLIERS = new Map();

export function registerEventAppliers(appliers) {
  for (const [name, apply] of Object.entries(appliers)) APPLIERS.set(name, apply);
}

const dropParticipant = (state, { participant_id: id }) => {
  state.participants = state.participants.filter((p) => p.id !== id);
};

// A room display is told of someone it may not show (away, at the door) only by id.
const upsertParticipant = (state, { participant, participant_id: id }) => {
  if (!participant) return dropParticipant(state, { participant_id: id });
  const people = state.participants;
  const index = people.findIndex((p) => p.id === participant.id);
  if (index !== -1) people[index] = participant;
  else if (state.you.role !== "display") people.push(participant); // first seen now: last
  else people.splice(joinedPlace(people, participant), 0, participant);
};

// A display's list is in the order people joined, so someone back from away goes where
// the snapshot would have them (docs/protocol.md §3).
function joinedPlace(people, person) {
  const at = (p) => Date.parse(p.joined_at); // a whole second is written without a fraction
  const after = (p) => at(p) > at(person) || (at(p) === at(person) && p.id > person.id);
  const place = people.findIndex(after);
  return place === -1 ? people.length : place;
}

const setSession = (state, payload) => {
  const { version, ...fields } = payload;
  Object.assign(state.session, fields);
};


registerEventAppliers({
  "participant:joined": upsertParticipant,
  "participant:returned": upsertParticipant,
  "participant:left": upsertParticipant,
  "participant:updated": upsertParticipant,
  "participant:waiting": upsertParticipant,
  "participant:admitted": upsertParticipant,
  "participant:removed": dropParticipant,
  "session:started": setSession,
  "session:ended": setSession,
  "session:updated": setSession,
});

export function connectLive(token, onChange, onFailure) {
  const socket = io(NAMESPACE, {
    auth: (send) => send({ token, language: currentLanguage() }),
  });
  // versions: part of the state (a snapshot's key, or "connection") -> a number that
  // grows each time that part changes, so the page renders only the sections reading it.
  const live = { socket, state: null, offsetMs: 0, connected: false, catchingUp: false, versions: {} };
  let newest = 0; // the newest version we know the session has reached
  let syncing = false; // one session:sync at a time
  const seen = {}; // part -> its text when last compared

  // Appliers change the state in place: a part changed when its JSON did.
  function noteChanges() {
    const parts = { ...live.state, connection: [live.connected, live.catchingUp] };
    for (const [part, value] of Object.entries(parts)) {
      if (part === "version" || part === "server_time") continue;
      const text = JSON.stringify(value);
      if (seen[part] === text) continue;
      seen[part] = text;
      live.versions[part] = (live.versions[part] || 0) + 1;
    }
  }

  const changed = () => {
    noteChanges();
    onChange(live);
  };

  function resync(version = 0) {
    newest = Math.max(newest, version);
    live.catchingUp = true;
    if (syncing) return;
    syncing = true;
    changed();
    // With a timeout: an ack lost with its connection must not block the next sync.
    socket.timeout(SYNC_TIMEOUT_MS).emit("session:sync", {}, (error, reply) => {
      syncing = false;
      if (!error && reply && reply.ok) return takeSnapshot(reply.snapshot);
      live.catchingUp = false; // a reconnect brings a snapshot anyway
      changed();
    });
  }

  // At the door, ask now and then whether one is in: the word may have been lost.
  let doorbell = null;
  function takeSnapshot(snapshot) {
    // Syncs may cross events: an older snapshot than what we hold adds nothing.
    if (!live.state || snapshot.version >= live.state.version) {
      live.state = snapshot;
      live.offsetMs = Date.parse(snapshot.server_time) - Date.now();
    }
    const waiting = live.state.you.role === "waiting";
    if (waiting && !doorbell) doorbell = setInterval(() => resync(), 5000);
    if (!waiting && doorbell) doorbell = clearInterval(doorbell) || null;
    if (live.state.version < newest) return resync();
    live.catchingUp = false;
    changed();
  }

  // Applies one event if it is the next version; ignores old ones; resyncs on a gap.
  function onEvent(apply) {
    return (payload) => {
      if (!live.state || payload.version <= live.state.version) return;
      // Just let in: events may come before the snapshot that session:admitted fetches.
      if (live.state.you.role === "waiting") return;
      if (payload.version !== live.state.version + 1) return resync(payload.version);
      // My own role changed: what I may see changes with it, so take a whole snapshot.
      const person = payload.participant;
      if (person && person.id === live.state.you.participant_id && person.role !== live.state.you.role)
        return resync(payload.version);
      apply(live.state, payload);
      live.state.version = payload.version;
      changed();
    };
  }

  socket.on("session:snapshot", takeSnapshot);
  // Not an event to apply: the session's version now, from a server process that
  // noticed its connections may have missed events.
  socket.on("session:version", ({ version }) => {
    if (live.state && version > live.state.version) resync(version);
  });
  for (const [name, apply] of APPLIERS) socket.on(name, onEvent(apply));
  // Notices to this connection alone, without a version: let in (now fetch what is
  // inside), or removed, or the session deleted (the server closes the connection next).
  socket.on("session:admitted", () => resync());
  for (const [notice, code] of [["session:removed", "removed_from_session"], ["session:deleted", "session_deleted"]]) {
    socket.on(notice, () => {
      live.removed = true;
      onFailure({ code, message: "" });
    });
  }
  // One's own part, said on another tab or device of one's own (no version): for the
  // phase it names only, as an ended phase's "ready" ended with it.
  socket.on("agenda:my_agenda", ({ phase_id: phaseId, my_agenda: mine }) => {
    if (!live.state || live.state.you.role === "waiting") return;
    if (live.state.agenda?.current.phase_id !== phaseId) return;
    live.state.my_agenda = mine;
    changed();
  });
  socket.on("connect", () => {
    live.connected = true;
    changed();
  });
  socket.on("disconnect", (reason) => {
    live.connected = false;
    changed();
    // The server closed it (a removal, a process shutting down): ask again, and a
    // refusal says why. Leaving on purpose closes from this side, not the server's.
    if (reason === "io server disconnect" && !live.removed && !live.leaving) socket.connect();
  });
  // A refusal carries a code (docs/protocol.md); other errors are the network, and
  // socket.io-client keeps retrying those by itself (not after a refusal).
  socket.on("connect_error", (error) => {
    const code = error.data && error.data.code;
    // Over this person's command budget (docs/protocol.md §5a): again once the window ends.
    if (code === "rate_limited") {
      setTimeout(() => socket.connect(), 1000 * (error.data.params.seconds || 1));
      return;
    }
    if (code) onFailure({ code, message: error.message });
  });

  live.command = (name, payload = {}) =>
    new Promise((resolve) => socket.timeout(COMMAND_TIMEOUT_MS).emit(name, payload,
      (error, reply) => resolve(error ? noAnswer() : reply)));
  live.close = () => {
    live.leaving = true;
    if (doorbell) doorbell = clearInterval(doorbell) || null;
    socket.disconnect();
  };
  return live;
}
