// client/static/js/live.js against a fake socket, in Node: how it catches up.
// Run by tests/test_live_js.py; prints "ok" when every check passed.
import assert from "node:assert/strict";

class FakeSocket {
  constructor() {
    this.handlers = new Map();
    this.syncs = []; // pending session:sync acks, oldest first
  }
  on(name, handler) {
    this.handlers.set(name, handler);
  }
  fire(name, payload) {
    this.handlers.get(name)(payload);
  }
  timeout() {
    return { emit: (name, payload, ack) => this.emit(name, payload, (reply) => ack(null, reply), ack) };
  }
  emit(name, payload, ack, fail) {
    assert.equal(name, "session:sync");
    this.syncs.push({ answer: ack, fail: fail && ((error) => fail(error)) });
  }
  disconnect() {}
}

const socket = new FakeSocket();
globalThis.io = () => socket;
const { connectLive } = await import("../../client/static/js/live.js");

const snapshot = (version, status = "waiting") => ({
  version,
  server_time: new Date().toISOString(),
  you: { role: "participant", participant_id: 2 },
  session: { status },
  participants: [],
});
const seen = []; // live.catchingUp at every change
const live = connectLive("token", (current) => seen.push(current.catchingUp), () => {});

socket.fire("connect");
socket.fire("session:snapshot", snapshot(4));
assert.equal(live.catchingUp, false);

// A version we already have, or an older one: nothing to do.
socket.fire("session:version", { version: 4 });
socket.fire("session:version", { version: 2 });
assert.equal(socket.syncs.length, 0);

// A newer version: one sync, and the page is told it is catching up.
socket.fire("session:version", { version: 6 });
assert.equal(socket.syncs.length, 1);
assert.equal(live.catchingUp, true);
assert.equal(seen.at(-1), true);
// More news while the sync is on its way: still one sync.
socket.fire("session:version", { version: 7 });
socket.fire("session:started", { version: 9, status: "running" }); // a gap too
assert.equal(socket.syncs.length, 1);

// The answer is older than the newest we heard of: sync again, still catching up.
socket.syncs.shift().answer({ ok: true, snapshot: snapshot(8, "running") });
assert.equal(live.state.version, 8);
assert.equal(socket.syncs.length, 1);
assert.equal(live.catchingUp, true);
socket.syncs.shift().answer({ ok: true, snapshot: snapshot(9, "running") });
assert.equal(live.state.version, 9);
assert.equal(live.catchingUp, false);
assert.equal(seen.at(-1), false);

// A sync that fails (a lost ack, an error) stops catching up; the next news tries again.
socket.fire("session:version", { version: 10 });
socket.syncs.shift().fail(new Error("operation has timed out"));
assert.equal(live.catchingUp, false);
socket.fire("session:version", { version: 10 });
assert.equal(socket.syncs.length, 1);
// A snapshot older than the state (syncs crossed) is not taken.
socket.fire("session:snapshot", snapshot(10, "ended"));
socket.syncs.shift().answer({ ok: true, snapshot: snapshot(9, "running") });
assert.equal(live.state.version, 10);
assert.equal(live.state.session.status, "ended");
assert.equal(live.catchingUp, false);

console.log("ok");
