// One process of bench/load.py's Node load generator: socket.io-client (websocket over the
// `ws` package, permessage-deflate offered as browsers offer it) joins its share of the
// rooms, sends their commands at a rate, and notes when every screen sees each change.
//
// bench/load.py talks to it in JSON lines: it writes {"ready": true} once loaded, then
// answers each command read from stdin with one line on stdout:
//   {"do": "join", ...}    -> {"join_seconds": [...], "extensions": "..."}
//   {"do": "prepare"}      -> {}  (a running agenda for hands, an open board)
//   {"do": "send", "rate", "seconds"} -> {"latencies": [...], "due"}
//   {"do": "leave"}        -> {}  (disconnected)
// `urls` are the server processes: a room's people are dealt over them in turn, from the
// room's `number` on (so hosts and senders spread too), as a load balancer would: with
// several processes every change crosses their message queue.
// It exits when its input ends, also when bench/load.py stops without a word.
// A failure answers {"error": "..."}. Every time is performance.now() of this one process:
// a room's sender and all its screens live here, so send and arrival share one clock.

import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { io } from "socket.io-client";

const NAMESPACE = "/session";
const now = () => performance.now() / 1000;
const sleep = (seconds) => new Promise((done) => setTimeout(done, Math.max(0, seconds) * 1000));

let setup; // the join command: urls, target, watched, people, deflate, joins_at_once, deadline, rooms
// {key, number, join_code, host_token, screens, sent, pending, steps, acks, ...what the target
// keeps}; screens[0] hosts
let rooms = [];

class Screen {
  constructor(url, auth) {
    this.arrivals = new Map(); // event number -> arrival
    this.onArrival = null;
    this.latest = null; // the watched event's last payload
    this.socket = io(url + NAMESPACE, {
      transports: ["websocket"],
      reconnection: false,
      forceNew: true, // one connection per screen, as each browser has its own
      timeout: 60000,
      auth,
      // Browsers offer permessage-deflate and compress all they send: threshold 0.
      perMessageDeflate: setup.deflate ? { threshold: 0 } : false,
    });
    // A post reaches nobody else at once (only the board's count, on its own clock): its
    // ack is what is timed.
    if (setup.watched) this.socket.on(setup.watched, (payload) => {
      const key = payload.version ?? payload.seq;
      this.latest = payload;
      this.arrivals.set(key, now());
      this.onArrival?.(key);
    });
    // Joined: the snapshot arrived (Holdsport), or connected (the bare room, then `join`).
    this.ready = new Promise((resolve, reject) => {
      this.socket.once(setup.target === "bare" ? "connect" : "session:snapshot", resolve);
      this.socket.once("connect_error", reject);
    });
  }

  async call(event, payload) {
    const reply = await this.socket.timeout(60000).emitWithAck(event, payload);
    if (!reply.ok) throw new Error(`${event}: ${JSON.stringify(reply)}`);
    return reply;
  }

  // The WebSocket extensions the server agreed to (its Sec-WebSocket-Extensions answer).
  get extensions() {
    return this.socket.io.engine?.transport?.ws?.extensions ?? "";
  }
}

async function credential(url, room, index) {
  if (setup.target === "bare") return undefined;
  if (index < 0) return { token: room.host_token, language: "en" };
  const reply = await fetch(`${url}/api/join`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    // As a browser joins: with the member key it keeps (one browser each, so a new member).
    body: JSON.stringify({
      join_code: room.join_code,
      display_name: `P${index}`,
      language: "en",
      member_key: randomBytes(32).toString("base64url"),
    }),
  });
  if (!reply.ok) throw new Error(`/api/join: ${reply.status} ${await reply.text()}`);
  return { token: (await reply.json()).token, language: "en" };
}

// Index -1 is the facilitator. The span measured is load.py's: credential, connect, snapshot
// (in the bare room: connect and `join`).
async function joinOne(room, index, seconds) {
  const began = now();
  const url = setup.urls[(room.number + index + 1) % setup.urls.length];
  const screen = new Screen(url, await credential(url, room, index));
  await screen.ready;
  if (setup.target === "bare") await screen.call("join", { room: room.key });
  seconds.push(now() - began);
  index < 0 ? room.screens.unshift(screen) : room.screens.push(screen);
  if (index === setup.people - 2) room.last = screen; // the last participant, whenever in
}

async function join(command) {
  setup = command;
  rooms = command.rooms.map((room) => ({
    ...room,
    screens: [],
    sent: new Map(),
    pending: [],
    steps: 0,
    acks: [], // the post target's ack latencies
  }));
  const joins = rooms.flatMap((room) =>
    Array.from({ length: setup.people }, (_, index) => [room, index - 1]),
  );
  const seconds = [];
  let next = 0;
  const runner = async () => {
    while (next < joins.length) await joinOne(...joins[next++], seconds);
  };
  await Promise.all(Array.from({ length: setup.joins_at_once }, runner));
  return { join_seconds: seconds, extensions: rooms[0]?.screens[0]?.extensions ?? "" };
}

// A post's secret, made by its author's client (docs/protocol.md section 7).
const secret = () => randomBytes(24).toString("base64url");

async function prepare() {
  if (setup.target === "bare") return {};
  for (const room of rooms) {
    const host = room.screens[0];
    // A round where everyone speaks in turn: the agenda moves to the next speaker and back.
    if (setup.target === "next") await host.call("agenda:add_phase", { kind: "round", title: "Bench", minutes: 60 });
    await host.call("session:start", {});
    if (["board", "post", "react"].includes(setup.target)) {
      await host.call("board:open", { prompts: ["Bench"] });
    }
    if (setup.target === "react") {
      // Reactions go to a revealed post: three people write, the facilitator reveals.
      const posted = [];
      for (const screen of room.screens.slice(1, 4)) {
        posted.push(await screen.call("board:post", { prompt: 0, text: "Bench", secret: secret() }));
      }
      await host.call("board:reveal", {});
      room.postId = posted[0].post.id;
    }
    if (setup.target === "next") room.segment = (await host.call("session:sync", {})).snapshot.agenda.segment;
    room.posts = new Map(); // the post target: participant -> {post_id, secret} not yet deleted
  }
  return {};
}

// The facilitator adds clusters and moves the agenda on; the last participant (by number,
// so the senders are dealt over the processes like everyone) raises hands, or sends in the
// bare room; the participants take turns to post (then delete it) and to react (then take
// it back).
function senderOf(room) {
  if (["board", "next"].includes(setup.target)) return room.screens[0];
  if (["post", "react"].includes(setup.target)) return room.screens[1 + (room.steps % (room.screens.length - 1))];
  return room.last ?? room.screens[0];
}

function command(room) {
  const step = room.steps;
  if (setup.target === "bare") return ["change", { room: room.key, seq: step }];
  if (setup.target === "board") return ["board:add_cluster", { name: `Cluster ${step}` }];
  if (setup.target === "next") {
    return [step % 2 === 0 ? "agenda:next" : "agenda:previous", { segment: room.segment }];
  }
  const person = step % (room.screens.length - 1);
  const round = Math.floor(step / (room.screens.length - 1));
  if (setup.target === "react") {
    return ["board:react", { post_id: room.postId, kind: round % 2 === 0 ? "me_too" : null }];
  }
  if (setup.target === "post") {
    const own = room.posts.get(person);
    if (own) return ["board:delete", own];
    return ["board:post", { prompt: 0, text: `Bench ${step}`, secret: secret() }];
  }
  return [step % 2 === 0 ? "hand:raise" : "hand:lower", {}];
}

// What a reply leaves for the next command: the post to delete.
function noteReply(room, event, payload, reply) {
  if (setup.target !== "post") return;
  const person = room.steps % (room.screens.length - 1);
  if (event === "board:post") room.posts.set(person, { post_id: reply.post.id, secret: payload.secret });
  else room.posts.delete(person);
}

// agenda:next and agenda:previous name the segment they move from: the last one seen.
async function segmentSeen(room, until) {
  while (room.pending.length && now() < until) await sleep(0.002);
  room.segment = room.screens[0].latest?.agenda?.segment ?? room.segment;
}

async function send({ rate, seconds }) {
  for (const room of rooms) {
    room.sent.clear();
    room.pending = [];
    for (const screen of room.screens) screen.arrivals.clear();
    room.acks = [];
    // Holdsport numbers an event by the session's version, unknown when sending: the
    // facilitator's first sight of a new number claims its oldest send.
    const observer = setup.target === "bare" ? senderOf(room) : room.screens[0];
    observer.onArrival = (key) => {
      if (room.pending.length && !room.sent.has(key)) room.sent.set(key, room.pending.shift());
    };
  }
  const period = 1 / rate;
  const end = now() + seconds;
  const run = async (room) => {
    await sleep(Math.random() * period);
    let nextAt = now();
    while (nextAt < end) {
      if (setup.target === "next") await segmentSeen(room, end + setup.deadline);
      const sender = senderOf(room);
      const [event, payload] = command(room);
      const sent = now();
      if (setup.target === "bare") room.sent.set(room.steps, sent);
      else if (setup.watched) room.pending.push(sent);
      const reply = await sender.call(event, payload);
      if (!setup.watched) room.acks.push(now() - sent);
      noteReply(room, event, payload, reply);
      room.steps += 1;
      nextAt += period;
      await sleep(nextAt - now());
    }
  };
  await Promise.all(rooms.map(run));
  await sleep(setup.deadline);
  const latencies = [];
  let due = 0;
  for (const room of rooms) {
    due += room.sent.size * room.screens.length + room.acks.length;
    latencies.push(...room.acks.filter((latency) => latency <= setup.deadline));
    for (const screen of room.screens) {
      for (const [key, sent] of room.sent) {
        const arrived = screen.arrivals.get(key);
        if (arrived !== undefined && arrived - sent <= setup.deadline) latencies.push(arrived - sent);
      }
    }
  }
  return { latencies, due };
}

function leave() {
  for (const room of rooms) for (const screen of room.screens) screen.socket.disconnect();
  return {};
}

const commands = { join, prepare, send, leave };
const answer = (reply) => process.stdout.write(JSON.stringify(reply) + "\n");
answer({ ready: true });
for await (const line of createInterface({ input: process.stdin })) {
  const order = JSON.parse(line);
  try {
    answer(await commands[order.do](order));
  } catch (error) {
    answer({ error: String(error?.stack ?? error) });
  }
}
process.exit(0);
