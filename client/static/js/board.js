// The board on the live session page: prompts as columns, posts without names, the
// author's own posts (kept only in this browser), reactions, votes and the facilitator's
// controls. Everything a person wrote goes in as text nodes, never as HTML.
import { h } from "./dom.js";
import { contentText, t, tn } from "./i18n.js";
import { contentNode } from "./content.js";
import { registerEventAppliers } from "./live.js";
import { registerSection } from "./sections.js";
import { BOARD_APPLIERS } from "./board-events.js";
import { forgetOtherBoards, newSecret, ownStore } from "./board-own.js";
import { addClusterForm, clusterHostActions, hostControls, hostPostActions, openBoardForm } from "./board-host.js";
import { boardCommand, errors, latest } from "./board-ui.js";

registerEventAppliers(BOARD_APPLIERS);
registerSection(50, renderBoard, ["board", "session", "participants", "group_boards", "agenda"]);

const editing = new Set(); // ids of own posts being edited
const understood = new Set(); // boards whose below-threshold warning this person accepted
const askedMine = new Set(); // boards whose own posts this page asked the server for
let seenBoard = null;

function renderBoard(live, context) {
  latest.live = live;
  latest.context = context;
  followOtherDevices(live);
  const { board, session, you } = live.state;
  const isHost = you.role === "facilitator" || you.role === "cofacilitator";
  const ended = session.status === "ended"; // the board takes no command but export then
  const canOpen = isHost && !ended && (!board || board.status === "closed");
  if (!board) return canOpen ? h("section", { class: "card board", id: "board" }, openBoardForm()) : null;
  // Seated in a breakout group with boards, a participant's board commands mean their
  // group's board (docs/protocol.md §11): it is in the group's card, the plenary's waits.
  if (you.role === "participant" && live.state.group_boards?.boards.length) return null;
  if (seenBoard !== board.id) {
    seenBoard = board.id;
    // A breakout group's own board is current too: its secrets stay.
    const groupBoards = (live.state.group_boards?.boards || []).filter((entry) => entry.board);
    forgetOtherBoards(session.join_code, [board.id, ...groupBoards.map((entry) => entry.board.id)]);
  }
  if (you.role !== "display" && board.status !== "closed" && !askedMine.has(board.id)) {
    askedMine.add(board.id);
    learnMine(live, session.join_code, board.id, context);
  }
  const view = boardView(live, board, { isHost, errorId: "board-error" });
  return h("section", {
    class: `card board${view.display ? " board-display" : ""}`,
    id: "board",
    dataset: { status: board.status, revealed: String(board.revealed), mode: board.mode },
  },
  header(view),
  errorBox(view),
  isHost ? hostControls(board, ended) : null,
  view.curating && board.revealed ? addClusterForm(board) : null,
  board.clusters.length ? clusters(view) : null,
  columns(view),
  canOpen ? openBoardForm() : null,
  );
}

// A breakout group's own board (docs/protocol.md §11), inside the group's card: the same
// posts, reactions and votes as the plenary's; any member reveals it; nobody curates it.
export function groupBoardCard(live, context, board) {
  latest.live = live;
  latest.context = context;
  followOtherDevices(live);
  const view = boardView(live, board, { isHost: false, errorId: "group-board-error" });
  view.present = Infinity; // a group gets its board only with at least `threshold` people
  const canReveal = board.mode === "reveal" && !board.revealed && board.status !== "closed";
  return h("div", {
    class: "board group-board", id: "group-board",
    dataset: { status: board.status, revealed: String(board.revealed), mode: board.mode },
  },
  header(view),
  errorBox(view),
  canReveal ? h("button", { id: "group-board-reveal",
    onclick: () => boardCommand("board:reveal", {}, view.errorId) }, t("Reveal our board")) : null,
  columns(view),
  );
}

function boardView(live, board, { isHost, errorId }) {
  const { session, you, participants } = live.state;
  return {
    board, isHost, errorId,
    store: ownStore(session.join_code, board.id),
    curating: isHost && session.status !== "ended",
    display: you.role === "display",
    writer: you.role !== "display" && board.status === "open" && session.status !== "ended",
    present: participants.filter((p) => p.present && p.admitted).length,
    openDoor: session.admission === "code",
    names: new Map(participants.map((p) => [p.id, p.display_name])),
  };
}

function errorBox(view) {
  const message = errors[view.errorId] || "";
  return h("p", { class: "error", id: view.errorId, role: "alert", hidden: !message }, message);
}

function columns(view) {
  return h("div", { class: "board-columns", style: { "--columns": String(view.board.prompts.length) } },
    view.board.prompts.map((prompt, index) => column(view, prompt, index)));
}

function header(view) {
  const { board, present, store } = view;
  const below = present < board.threshold && board.status !== "closed";
  const waiting = board.count - board.posts.length;
  const unseen = neverShown(view).length;
  const earlier = store.droppedEarlier();
  return h("header", { class: "board-head" },
    h("h2", {}, board.named ? t("Named board") : t("Anonymous board"),
      " ", h("span", { class: "tag" }, board.mode === "live" ? t("Live") : t("Write, then reveal")),
      board.status === "locked" ? h("span", { class: "tag" }, t("Locked")) : null,
      board.status === "closed" ? h("span", { class: "tag" }, t("Ended")) : null),
    h("p", { class: "board-promise" }, board.named
      ? t("Everyone sees who wrote each post. This was chosen before anyone wrote.")
      : t("Posts show no names, no times and not the order they were written in. Only your browser can edit or delete your posts.")),
    view.openDoor && !board.named ? h("p", { class: "warning", id: "board-open-door" },
      t("Anyone with the join code can come into this session without being let in. The board's anonymity rests on the code staying in the group.")) : null,
    h("p", { class: "muted", id: "board-threshold" },
      t("Anonymity threshold: %(k)s. With fewer than %(k)s people present, anonymity cannot be guaranteed, and the board is revealed only once at least %(k)s different people have written on it.", { k: board.threshold })),
    below && !board.named ? h("p", { class: "warning", id: "board-warning", role: "alert" },
      tn("Only %(n)s person is present, fewer than %(k)s: anonymity cannot be guaranteed.",
        "Only %(n)s people are present, fewer than %(k)s: anonymity cannot be guaranteed.",
        present, { k: board.threshold })) : null,
    h("p", { class: "count", id: "board-count" },
      board.revealed
        ? (waiting > 0 ? tn("%(n)s post waits for the next batch.", "%(n)s posts wait for the next batch.", waiting) : null)
        : [tn("%(n)s post written.", "%(n)s posts written.", board.count), " ",
          board.mode === "live"
            ? t("Posts appear in shuffled batches, each once at least %(n)s people have written something new.", { n: board.limits.batch_size })
            : t("Until the facilitator reveals the board, you see only your own posts.")]),
    unseen ? h("p", { class: "notice", id: "board-dropped", role: "status" },
      tn("%(n)s of your posts was never shown: the board ended before enough people had something new for a batch.",
        "%(n)s of your posts were never shown: the board ended before enough people had something new for a batch.", unseen)) : null,
    earlier ? h("p", { class: "notice", id: "board-dropped-earlier", role: "status" },
      tn("%(n)s of your posts on the previous board was never shown: that board ended before it was revealed, and its posts are now deleted.",
        "%(n)s of your posts on the previous board were never shown: that board ended before it was revealed, and its posts are now deleted.", earlier)) : null,
  );
}

// Own posts that will never be shown: the server said so when the board closed, or the
// board ended after its reveal with them still waiting (so they were deleted unseen).
function neverShown(view) {
  const { board, store } = view;
  const shownIds = new Set(board.posts.map((post) => post.id));
  return Object.entries(store.posts()).filter(([id, own]) => !shownIds.has(id) && !own.deleted
    && (own.dropped || (board.status === "closed" && board.revealed)));
}

// How many different people the next batch needs: a live board's first one, `threshold`.
function batchNeeds(board) {
  return board.revealed ? board.limits.batch_size : Math.max(board.limits.batch_size, board.threshold);
}

function clusters(view) {
  return h("div", { class: "board-clusters" }, view.board.clusters.map((cluster) =>
    h("section", { class: "cluster", dataset: { clusterId: cluster.id } },
      h("h3", {}, cluster.name, " ", voteButton(view, cluster)),
      view.curating ? clusterHostActions(cluster) : null,
      h("ul", { class: "posts" }, shownPosts(view, (post) => post.cluster_id === cluster.id)
        .map((post) => postCard(view, post))))));
}

// A column's prompt: own words as written, content in the reader's language.
function promptText(prompt) {
  return prompt.text ?? contentText(prompt.key);
}

function column(view, prompt, index) {
  const { board, store } = view;
  const shownIds = new Set(board.posts.map((post) => post.id));
  const waitingOwn = Object.entries(store.posts())
    .filter(([id, own]) => own.prompt === index && !own.deleted && !shownIds.has(id))
    .map(([id, own]) => ({ id, prompt: index, text: own.text, waiting: true }));
  const posts = shownPosts(view, (post) => post.prompt === index && !post.cluster_id);
  return h("section", { class: "board-column", dataset: { prompt: index } },
    prompt.key ? contentNode("h3", prompt.key) : h("h3", {}, prompt.text),
    h("ul", { class: "posts" }, [...waitingOwn, ...posts].map((post) => postCard(view, post))),
    view.writer ? writeForm(view, index) : null);
}

function shownPosts(view, wanted) {
  return view.board.posts.filter((post) => wanted(post) && (view.isHost || !post.hidden));
}

function postCard(view, post) {
  const { board, store } = view;
  const own = store.post(post.id);
  const gone = own && own.deleted;
  const open = board.status !== "closed";
  // After the end, an edit that waited for a batch was dropped: show what everyone saw.
  const text = own && !gone && (open || post.waiting) ? own.text : post.text;
  const changing = open && own && !gone && !post.waiting && post.text !== null && own.text !== post.text;
  // The board ended before a batch: what waited was dropped, and its author is told.
  const lost = !open && own && !post.waiting;
  const unseen = post.waiting && (own?.dropped || (!open && board.revealed));
  return h("li", {
    class: ["post", own ? "own" : "", post.hidden ? "hidden-post" : "", post.waiting ? "waiting" : ""].join(" ").trim(),
    dataset: { postId: post.id },
  },
  editing.has(post.id) && own ? editForm(view, post, own) : h("p", { class: "post-text" }, text),
  h("p", { class: "post-meta" },
    board.named && post.author_id ? h("span", { class: "author" }, view.names.get(post.author_id) || "") : null,
    own ? h("span", { class: "tag" }, t("Yours")) : null,
    post.waiting && !unseen ? h("span", { class: "muted" }, board.mode === "reveal" && !board.revealed
      ? t("Only you can see this until the board is revealed.")
      : t("Only you can see this until the next batch, which comes once at least %(n)s people have something new. If the board ends first, it is never shown.", { n: batchNeeds(board) })) : null,
    unseen ? h("span", { class: "notice" }, t("Never shown: the board ended before enough people had something new for a batch. Nobody but you saw it.")) : null,
    changing ? h("span", { class: "muted" }, t("Your change shows with the next batch.")) : null,
    lost && !gone && own.text !== post.text && post.text !== null
      ? h("span", { class: "notice" }, t("The board ended before a batch: your change was never shown.")) : null,
    gone && open ? h("span", { class: "muted" }, t("You deleted this post; it leaves the board with the next batch.")) : null,
    gone && lost ? h("span", { class: "notice" }, t("The board ended before a batch: your post was not deleted, and stays as everyone saw it.")) : null,
    post.hidden ? h("span", { class: "tag" }, t("Hidden")) : null),
  post.waiting ? null : h("div", { class: "post-actions" },
    reactions(view, post, own), voteButton(view, post)),
  own && !gone && open && !view.display && !editing.has(post.id) ? h("div", { class: "post-actions" },
    h("button", { class: "small quiet", onclick: () => { editing.add(post.id); rerender(); } }, t("Edit")),
    h("button", { class: "small quiet", onclick: () => remove(view, post.id, own) }, t("Delete"))) : null,
  view.curating && !post.waiting ? h("div", { class: "post-actions" }, hostPostActions(post, board)) : null,
  );
}

function reactions(view, post, own) {
  const mine = view.store.reaction(post.id);
  const active = !view.display && !own && !post.hidden && view.board.status !== "closed";
  const kinds = [["me_too", t("Me too")], ["thanks", t("Thank you")]];
  return kinds.map(([kind, label]) => {
    const count = post.reactions[kind];
    if (!active) return count ? h("span", { class: "reaction" }, `${label} ${count}`) : null;
    return h("button", {
      class: "small reaction", "aria-pressed": String(mine === kind), dataset: { kind },
      onclick: () => react(view, post.id, mine === kind ? null : kind),
    }, `${label} ${count}`);
  });
}

function voteButton(view, target) {
  const { board, store } = view;
  if (!board.revealed) return null;
  const mine = store.voted(target.id);
  const left = board.limits.votes - store.votesUsed();
  const label = tn("%(n)s vote", "%(n)s votes", target.votes);
  if (view.display || board.status === "closed" || target.hidden) {
    return target.votes ? h("span", { class: "votes" }, label) : null;
  }
  return h("button", {
    class: "small vote", "aria-pressed": String(mine), disabled: !mine && left <= 0,
    title: t("Votes left: %(n)s", { n: left }),
    onclick: () => vote(view, target.id, !mine),
  }, mine ? t("Voted") : t("Vote"), ` · ${label}`);
}

// What this person wrote, reacted and voted on this board from another device of theirs
// (or before this browser's storage was cleared): the server finds it by their key.
async function learnMine(live, code, boardId, context) {
  const askedAbout = Object.keys(ownStore(code, boardId).posts());
  const reply = await live.command("board:mine");
  if (!reply.ok || reply.board_id !== boardId) return;
  const board = live.state.board;
  const shown = new Set(board && board.id === boardId ? board.posts.map((post) => post.id) : []);
  ownStore(code, boardId).learn(reply, askedAbout, shown);
  context.refresh();
}

function writeForm(view, index) {
  const { board } = view;
  const warned = view.present < board.threshold && !board.named && !understood.has(board.id);
  if (warned) {
    return h("div", { class: "write-gate" },
      h("button", { class: "quiet", onclick: () => { understood.add(board.id); rerender(); } },
        t("I understand, let me write")));
  }
  const max = board.limits.max_length;
  const draft = `board:${board.id}:${index}`;
  // The count is of the field on the page (morph.js keeps it, with what is typed).
  const field = document.querySelector(`textarea[data-draft="${CSS.escape(draft)}"]`);
  const count = (text) => `${text.length} / ${max}`;
  return h("form", { class: "write", dataset: { key: draft }, onsubmit: async (event) => {
    event.preventDefault();
    const input = event.currentTarget.elements[`post-${index}`];
    const secret = newSecret();
    const reply = await boardCommand("board:post", { prompt: index, text: input.value, secret }, view.errorId);
    if (!reply.ok) return;
    storeOf(board).keepPost(reply.post, secret);
    input.value = "";
    rerender();
  } },
  h("textarea", {
    name: `post-${index}`, dataset: { draft }, rows: 3, maxlength: max, required: true,
    placeholder: t("Write a short post…"), "aria-label": promptText(board.prompts[index]),
    oninput: (event) => { event.target.form.querySelector(".counter").textContent = count(event.target.value); },
  }),
  h("div", { class: "write-foot" },
    h("span", { class: "muted counter" }, count(field?.value ?? "")),
    h("button", { type: "submit" }, t("Post"))));
}

// Keyed by the post: another post's edit is another form. The field starts with the
// post's text; morph.js keeps what is typed in it.
function editForm(view, post, own) {
  const done = () => { editing.delete(post.id); rerender(); };
  return h("form", { class: "write", dataset: { key: `edit:${post.id}` }, onsubmit: async (event) => {
    event.preventDefault();
    const mine = storeOf(view.board).post(post.id);
    // Written on another device of this person's: no secret here, their key suffices.
    const edit = { post_id: post.id, secret: mine.secret || null, text: event.currentTarget.elements.text.value };
    const reply = await boardCommand("board:edit", edit, view.errorId);
    if (reply.ok) {
      storeOf(view.board).keepPost(reply.post);
      done();
    }
  } },
  h("textarea", { name: "text", dataset: { draft: `board-edit:${post.id}` }, rows: 3,
    maxlength: view.board.limits.max_length, "aria-label": t("Edit") }, own.text),
  h("div", { class: "write-foot" },
    h("button", { type: "button", class: "quiet", onclick: done }, t("Cancel")),
    h("button", { type: "submit" }, t("Save"))));
}

async function remove(view, postId, own) {
  const reply = await boardCommand("board:delete", { post_id: postId, secret: own.secret || null }, view.errorId);
  if (reply.ok || reply.error.code === "post_not_found") forgetDeleted(storeOf(view.board), postId, reply.shown);
  rerender();
}

function forgetDeleted(store, postId, shown) {
  if (shown) store.markDeleted(postId);
  else store.dropPost(postId);
}

// What this person writes, edits or deletes on another tab or device of theirs shows here
// at once: the server tells only their own connections (docs/protocol.md §4).
const following = new WeakSet();
function followOtherDevices(live) {
  if (following.has(live) || live.state.you.role === "display") return;
  following.add(live);
  const storeFor = (boardId) => ownStore(live.state.session.join_code, boardId);
  // Back after a lost connection: what was written meanwhile is asked for again.
  live.socket.on("connect", () => askedMine.clear());
  live.socket.on("board:own_post_saved", ({ board_id: boardId, post }) => {
    if (!editing.has(post.id)) storeFor(boardId).keepPost(post);
    rerender();
  });
  live.socket.on("board:own_post_deleted", ({ board_id: boardId, post_id: postId, shown }) => {
    editing.delete(postId);
    forgetDeleted(storeFor(boardId), postId, shown);
    rerender();
  });
}

async function react(view, postId, kind) {
  const reply = await boardCommand("board:react", { post_id: postId, kind }, view.errorId);
  if (reply.ok) storeOf(view.board).setReaction(postId, kind);
  rerender();
}

async function vote(view, targetId, on) {
  const reply = await boardCommand("board:vote", { target_id: targetId, vote: on }, view.errorId);
  if (reply.ok) storeOf(view.board).setVote(targetId, on);
  rerender();
}

// What this browser keeps of a board, read afresh: a handler may outlive the render
// that made it (morph.js gives a kept element the newest handlers only when its part
// renders again), and the store must not be a stale copy.
function storeOf(board) {
  return ownStore(latest.live.state.session.join_code, board.id);
}

function rerender() {
  latest.context.refresh();
}
