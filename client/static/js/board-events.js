// How board events change the state (docs/protocol.md §4). Each sets fields from the
// payload, so applying one twice, or after a snapshot that has it, changes nothing.
import { ownStore } from "./board-own.js";

const find = (items, id) => items.find((item) => item.id === id);

function upsert(items, item) {
  const index = items.findIndex((known) => known.id === item.id);
  if (index === -1) items.push(item);
  else items[index] = item;
}

function withBoard(apply) {
  return (state, payload) => {
    if (state.board) apply(state.board, payload, state);
  };
}

const setStatus = withBoard((board, { status, count }) => Object.assign(board, { status, count }));
const saveCluster = withBoard((board, { cluster }) => upsert(board.clusters, cluster));

export const BOARD_APPLIERS = {
  // `dropped`: posts of the earlier board nobody saw, deleted now; only their author's
  // browser knows them, and keeps how many were its own to say so (docs/protocol.md §7).
  "board:opened": (state, { board, dropped = [] }) => {
    const earlier = state.board;
    if (earlier && dropped.length) {
      const code = state.session.join_code;
      const mine = Object.keys(ownStore(code, earlier.id).posts()).filter((id) => dropped.includes(id));
      if (mine.length) ownStore(code, board.id).setDroppedEarlier(mine.length);
    }
    state.board = board;
  },
  "board:count_changed": withBoard((board, { count }) => { board.count = count; }),
  "board:published": withBoard((board, payload) => {
    board.revealed = payload.revealed;
    board.count = payload.count;
    board.posts = board.posts.filter((post) => !payload.removed.includes(post.id));
    for (const post of payload.posts) upsert(board.posts, post);
  }),
  "board:post_hidden": withBoard((board, { post_id: postId }, state) => {
    const post = find(board.posts, postId);
    if (!post) return;
    post.hidden = true;
    if (!["facilitator", "cofacilitator"].includes(state.you.role)) post.text = null;
  }),
  "board:post_restored": withBoard((board, { post }) => upsert(board.posts, post)),
  "board:reacted": withBoard((board, { post_id: postId, reactions }) => {
    const post = find(board.posts, postId);
    if (post) post.reactions = reactions;
  }),
  "board:voted": withBoard((board, { target_id: targetId, votes }) => {
    const target = find(board.posts, targetId) || find(board.clusters, targetId);
    if (target) target.votes = votes;
  }),
  "board:cluster_added": saveCluster,
  "board:cluster_renamed": saveCluster,
  "board:cluster_removed": withBoard((board, { cluster_id: clusterId }) => {
    board.clusters = board.clusters.filter((cluster) => cluster.id !== clusterId);
    for (const post of board.posts) if (post.cluster_id === clusterId) post.cluster_id = null;
  }),
  "board:post_moved": withBoard((board, { post_id: postId, cluster_id: clusterId }) => {
    const post = find(board.posts, postId);
    if (post) post.cluster_id = clusterId;
  }),
  "board:locked": setStatus,
  "board:unlocked": setStatus,
  "board:closed": withBoard((board, { status, count, dropped = [] }, state) => {
    Object.assign(board, { status, count });
    const store = ownStore(state.session.join_code, board.id);
    for (const id of dropped) store.markDropped(id);
  }),
  // A breakout group's board as a whole, to its members and the hosts; every other
  // connection gets only the version (docs/protocol.md §11).
  "board:group_updated": (state, payload) => {
    if (!("group" in payload) || !state.group_boards) return;
    const { group, board, dropped = [] } = payload;
    const boards = state.group_boards.boards;
    const index = boards.findIndex((entry) => entry.group === group);
    if (index === -1) boards.push({ group, board });
    else boards[index] = { group, board };
    if (board && dropped.length) {
      const store = ownStore(state.session.join_code, board.id);
      for (const id of dropped) store.markDropped(id);
    }
  },
  "board:groups_updated": (state, { group_boards: groupBoards }) => { state.group_boards = groupBoards; },
};
