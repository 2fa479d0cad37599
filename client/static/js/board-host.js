// The facilitator's side of the board: opening one, revealing, locking, closing,
// exporting, clusters, and hiding or moving a post.
import { h, saveFile } from "./dom.js";
import { t } from "./i18n.js";
import { isIgloBoard } from "./actions.js";
import { boardCommand } from "./board-ui.js";

const DEFAULT_PROMPTS = () => [
  t("A mistake I learned from"),
  t("What makes it safe or unsafe to share here"),
  t("An uncertainty I carry"),
];

// Rendered fresh each time: morph.js keeps what the facilitator changed in it.
export function openBoardForm() {
  return h("form", { class: "board-open", id: "board-open-form", onsubmit: submit },
    h("h3", {}, t("Open a board")),
    h("label", { class: "field" }, h("span", {}, t("Prompts, one per line (they become the columns)")),
      h("textarea", { name: "prompts", rows: 3, maxlength: 6 * 121, required: true },
        DEFAULT_PROMPTS().join("\n"))),
    h("label", { class: "field" }, h("span", {}, t("How posts appear")),
      h("select", { name: "mode" },
        h("option", { value: "reveal" }, t("Write, then reveal all at once (safest)")),
        h("option", { value: "live" }, t("Live, in shuffled batches")))),
    h("label", { class: "field" }, h("span", {}, t("Anonymity threshold (different people)")),
      h("input", { name: "threshold", type: "number", min: 2, max: 20, value: 3, required: true })),
    h("label", { class: "check" }, h("input", { name: "named", type: "checkbox" }),
      h("span", {}, t("Named board: everyone sees who wrote each post. This cannot be changed once the board is open."))),
    h("button", { type: "submit", id: "open-board" }, t("Open board")),
  );
}

async function submit(event) {
  event.preventDefault();
  const data = new FormData(event.currentTarget);
  const prompts = String(data.get("prompts")).split("\n").map((line) => line.trim()).filter(Boolean);
  await boardCommand("board:open", {
    prompts,
    mode: data.get("mode"),
    named: data.get("named") === "on",
    threshold: Number(data.get("threshold")),
  });
}

// Once the session has ended, only the export still works.
export function hostControls(board, ended) {
  // Posts of k different people are needed; k posts at least. The server counts people.
  const enough = board.count >= board.threshold;
  const exporting = board.revealed ? h("button", { class: "quiet", id: "board-export", onclick: exportBoard }, t("Export")) : null;
  if (ended) return exporting && h("div", { class: "controls board-controls" }, exporting);
  return h("div", { class: "controls board-controls" },
    board.revealed ? null : h("button", {
      id: "board-reveal",
      disabled: !enough,
      title: enough ? null : t("Needs posts of at least %(k)s different people", { k: board.threshold }),
      onclick: () => boardCommand("board:reveal"),
    }, t("Reveal the board")),
    board.status === "open"
      ? h("button", { class: "quiet", id: "board-lock", onclick: () => boardCommand("board:lock") }, t("Lock"))
      : null,
    board.status === "locked"
      ? h("button", { class: "quiet", id: "board-unlock", onclick: () => boardCommand("board:unlock") }, t("Unlock"))
      : null,
    board.status !== "closed"
      ? h("button", { class: "quiet", id: "board-close", onclick: () => boardCommand("board:close") }, t("End the board"))
      : null,
    exporting,
  );
}

async function exportBoard() {
  const reply = await boardCommand("board:export");
  if (!reply.ok) return;
  const { filename, media_type: type, content } = reply.export;
  saveFile(content, `${type};charset=utf-8`, filename);
}

export function addClusterForm(board) {
  return h("form", { class: "inline-form", id: "add-cluster", dataset: { key: board.id }, onsubmit: addCluster },
    h("input", { name: "cluster", maxlength: 60, required: true, placeholder: t("Name of a new group") }),
    h("button", { type: "submit", class: "quiet" }, t("Add group")));
}

async function addCluster(event) {
  event.preventDefault();
  const input = event.currentTarget.elements.cluster; // the one on the page
  const reply = await boardCommand("board:add_cluster", { name: input.value.trim() });
  if (reply.ok) input.value = "";
}

export function clusterHostActions(cluster) {
  return h("button", {
    class: "small quiet",
    onclick: () => boardCommand("board:remove_cluster", { cluster_id: cluster.id }),
  }, t("Remove group"));
}

export function hostPostActions(post, board) {
  const hide = post.hidden
    ? h("button", { class: "small quiet", onclick: () => boardCommand("board:restore", { post_id: post.id }) }, t("Restore"))
    : h("button", { class: "small quiet", onclick: () => boardCommand("board:hide", { post_id: post.id }) }, t("Hide"));
  // On the IGLO board a post's column is its level: one click makes it an action.
  const action = isIgloBoard(board) && !post.hidden && board.status !== "closed"
    ? h("button", { class: "small quiet make-action", onclick: () => boardCommand("action:from_posts", { post_ids: [post.id] }) }, t("Make an action"))
    : null;
  if (!board.clusters.length) return [hide, action];
  const select = h("select", {
    class: "small",
    "aria-label": t("Group"),
    onchange: (event) => boardCommand("board:move_post", { post_id: post.id, cluster_id: event.target.value || null }),
  },
  h("option", { value: "", selected: !post.cluster_id }, t("No group")),
  board.clusters.map((cluster) => h("option", { value: cluster.id, selected: post.cluster_id === cluster.id }, cluster.name)));
  return [hide, action, select];
}
