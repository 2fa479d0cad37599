// The live connection: a snapshot first, then events applied in version order.
// A gap in versions, or a reconnect, fetches a fresh snapshot (docs/protocol.md).
import { currentLanguage } from "./i18n.js";

const NAMESPACE = "/session";

// Each feature says how its events change the state: name -> (state, payload) => void.
// An applier sets fields from the payload (idempotent), it does not count.
const APPLIERS = new Map();

export function registerEventAppliers(appliers) {
  for (const [name, apply] of Object.entries(appliers)) APPLIERS.set(name, apply);
}

const upsertParticipant = (state, { participant }) => {
  const index = state.participants.findIndex((p) => p.id === participant.id);
  if (index === -1) state.participants.push(participant);
  else state.participants[index] = participant;
};

const setSession = (state, payload) => {
  const { version, ...fields } = payload;
  Object.assign(state.session, fields);
};

registerEventAppliers({
  "participant:joined": upsertParticipant,
  "participant:returned": upsertParticipant,
  "participant:left": upsertParticipant,
  "participant:updated": upsertParticipant,
  "session:started": setSession,
  "session:ended": setSession,
});

export function connectLive(token, onChange, onFailure) {
  const socket = io(NAMESPACE, {
    auth: (send) => send({ token, language: currentLanguage() }),
  });
  const live = { socket, state: null, offsetMs: 0, connected: false };

  const changed = () => onChange(live);
  const resync = () =>
    socket.emit("session:sync", {}, (reply) => {
      if (reply && reply.ok) takeSnapshot(reply.snapshot);
    });

  function takeSnapshot(snapshot) {
    live.state = snapshot;
    live.offsetMs = Date.parse(snapshot.server_time) - Date.now();
    changed();
  }

  // Applies one event if it is the next version; ignores old ones; resyncs on a gap.
  function onEvent(apply) {
    return (payload) => {
      if (!live.state || payload.version <= live.state.version) return;
      if (payload.version !== live.state.version + 1) return resync();
      apply(live.state, payload);
      live.state.version = payload.version;
      changed();
    };
  }

  socket.on("session:snapshot", takeSnapshot);
  for (const [name, apply] of APPLIERS) socket.on(name, onEvent(apply));
  socket.on("connect", () => {
    live.connected = true;
    changed();
  });
  socket.on("disconnect", () => {
    live.connected = false;
    changed();
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
    new Promise((resolve) => socket.emit(name, payload, resolve));
  live.close = () => socket.disconnect();
  return live;
}
