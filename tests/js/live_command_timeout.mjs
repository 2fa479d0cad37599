// client/static/js/live.js against a fake socket, in Node: a command whose ack never
// comes resolves, after the timeout, to a `no_answer` error in the page's language.
// Run by tests/test_live_js.py with the Danish catalog's path; prints "ok".
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

class FakeSocket {
  constructor() {
    this.sent = []; // {name, payload, ms, ack}: commands sent, their acks still to come
  }
  on() {}
  timeout(ms) {
    return { emit: (name, payload, ack) => this.sent.push({ name, payload, ms, ack }) };
  }
  emit() {
    throw new Error("a command sent without a timeout");
  }
}

// What the page's i18n.js needs from a browser to load a catalog.
const danish = JSON.parse(readFileSync(process.argv[2], "utf8"));
globalThis.fetch = async () => ({ ok: true, json: async () => danish });
globalThis.localStorage = { getItem: () => null, setItem: () => {} };
globalThis.navigator = { languages: [] };
globalThis.document = { documentElement: {} };

const socket = new FakeSocket();
globalThis.io = () => socket;
const { connectLive } = await import("../../client/static/js/live.js");
const { errorText, loadLanguage } = await import("../../client/static/js/i18n.js");
await loadLanguage("da");
const live = connectLive("token", () => {}, () => {});

// Answered in time: the server's ack, as it came.
const done = live.command("agenda:add_phase", { kind: "break" });
const first = socket.sent.shift();
assert.equal(first.name, "agenda:add_phase");
assert.ok(first.ms >= 5000 && first.ms <= 30000, `timeout ${first.ms} ms`);
first.ack(null, { ok: true, phase_id: 3 });
assert.deepEqual(await done, { ok: true, phase_id: 3 });

// No ack within the timeout (the connection closed under it): a clear error, in Danish.
const lost = live.command("session:end");
socket.sent.shift().ack(new Error("operation has timed out"));
const reply = await lost;
assert.equal(reply.ok, false);
assert.equal(reply.error.code, "no_answer");
const text = errorText(reply.error);
assert.ok(text.startsWith("Serveren svarede ikke"), text);
assert.equal(reply.error.render(), text); // shown again in the page's language on a change

console.log("ok");
