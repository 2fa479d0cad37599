// What only this browser knows about a board: which posts are its own (with the secret
// of those written here; the person's key edits the others), and its own reactions and votes. The server
// stores none of it with a name (docs/anonymity.md), so it cannot tell us; we keep it.
const PREFIX = "holdsport:board:";

function storageKey(code, boardId) {
  return `${PREFIX}${code}:${boardId}`;
}

function empty() {
  return { posts: {}, reactions: {}, votes: {} };
}

export function ownStore(code, boardId) {
  const key = storageKey(code, boardId);
  let data = empty();
  try {
    data = { ...empty(), ...JSON.parse(localStorage.getItem(key) || "{}") };
  } catch {
    data = empty();
  }
  const save = () => localStorage.setItem(key, JSON.stringify(data));
  return {
    posts: () => data.posts,
    post: (id) => data.posts[id],
    keepPost(post, secret) {
      data.posts[post.id] = { secret: secret || data.posts[post.id]?.secret, prompt: post.prompt, text: post.text };
      save();
    },
    // A shown post that its author deleted stays on screen until the next batch.
    markDeleted(id) {
      data.posts[id] = { ...data.posts[id], deleted: true, secret: null };
      save();
    },
    dropPost(id) {
      delete data.posts[id];
      save();
    },
    // The board ended before this post was ever shown, and the server deleted it: it stays
    // here, for its author only, with a word saying so.
    markDropped(id) {
      if (!data.posts[id]) return;
      data.posts[id] = { ...data.posts[id], dropped: true, secret: null };
      save();
    },
    // How many of this person's posts on the board before this one were never shown.
    droppedEarlier: () => data.droppedEarlier || 0,
    setDroppedEarlier(n) {
      data.droppedEarlier = n;
      save();
    },
    reaction: (postId) => data.reactions[postId] || null,
    setReaction(postId, kind) {
      if (kind) data.reactions[postId] = kind;
      else delete data.reactions[postId];
      save();
    },
    voted: (targetId) => Boolean(data.votes[targetId]),
    setVote(targetId, on) {
      if (on) data.votes[targetId] = true;
      else delete data.votes[targetId];
      save();
    },
    votesUsed: () => Object.keys(data.votes).length,
    // What the server found by this person's key (board:mine), which has the last word:
    // posts written elsewhere come without a secret, one edited elsewhere takes the
    // server's text, and one this browser knew when it asked (`askedAbout`) that the
    // server no longer has was deleted elsewhere meanwhile (still on screen until the
    // next batch if it was shown: `shownIds`). Reactions and votes are the server's.
    learn(found, askedAbout = [], shownIds = new Set()) {
      const current = new Set(found.posts.map((post) => String(post.id)));
      for (const id of askedAbout) {
        const known = data.posts[id];
        if (!known || current.has(id) || known.deleted || known.dropped) continue;
        if (shownIds.has(Number(id))) data.posts[id] = { ...known, deleted: true, secret: null };
        else delete data.posts[id];
      }
      for (const post of found.posts) {
        const known = data.posts[post.id];
        if (known?.deleted) continue;
        data.posts[post.id] = { ...known, secret: known?.secret || null, prompt: post.prompt, text: post.text };
      }
      data.reactions = { ...found.reactions };
      data.votes = Object.fromEntries(found.votes.map((id) => [id, true]));
      save();
    },
  };
}

// A board's secrets are useless once another board is current: forget them.
export function forgetOtherBoards(code, boardIds) {
  const keep = new Set(boardIds.map((boardId) => storageKey(code, boardId)));
  const prefix = `${PREFIX}${code}:`;
  for (let index = localStorage.length - 1; index >= 0; index -= 1) {
    const key = localStorage.key(index);
    if (key && key.startsWith(prefix) && !keep.has(key)) localStorage.removeItem(key);
  }
}

// 32 random bytes, URL-safe base64 (43 characters): the post's secret, made here only.
export function newSecret() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
