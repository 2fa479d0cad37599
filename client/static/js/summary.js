// The summary of an ended session on the session page: opened by anyone who took part,
// in their own language; downloads (Markdown, CSV) and a print-ready page.
import { h, saveFile } from "./dom.js";
import { currentLanguage, errorText, t } from "./i18n.js";
import { registerSection } from "./sections.js";

// What the server sent, per language: a language switch fetches the summary again.
let opened = false;
let loaded = null; // { language, summary } or { language, error }
let loading = null; // the language being fetched
let asking = false; // a host pressed "keep" once and is reading what it means

async function load(live, refresh) {
  const language = currentLanguage();
  if (loading === language) return;
  loading = language;
  // The connection's language first: the server writes the summary in it.
  await live.command("client:set_language", { language });
  const reply = await live.command("summary:get");
  loading = null;
  if (language !== currentLanguage()) return;
  loaded = reply.ok ? { language, summary: reply.summary } : { language, error: reply.error };
  refresh();
}

async function download(live, format) {
  const reply = await live.command("summary:export", { format });
  const problem = document.getElementById("summary-problem"); // the one on the page (morph.js)
  if (!reply.ok) {
    problem.textContent = errorText(reply.error);
    problem.hidden = false;
    return;
  }
  saveFile(reply.content, reply.mime, reply.filename);
}

function minutes(value) {
  return t("%(n)s min", { n: value });
}

function agendaView(data) {
  return h("table", { class: "summary-agenda" },
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, t("Phase")),
      h("th", { scope: "col" }, t("Planned")),
      h("th", { scope: "col" }, t("Actual")))),
    h("tbody", {}, data.phases.map((phase) => h("tr", { class: phase.skipped ? "skipped" : "" },
      h("td", {}, phase.title, phase.title === phase.kind_name ? null : h("span", { class: "muted" }, ` · ${phase.kind_name}`)),
      h("td", {}, minutes(phase.planned_minutes)),
      h("td", {}, phase.skipped ? t("Skipped") : minutes(phase.actual_minutes))))),
    h("tfoot", {}, h("tr", {},
      h("th", { scope: "row" }, t("Total")),
      h("td", {}, minutes(data.planned_minutes)),
      h("td", {}, minutes(data.actual_minutes)))),
  );
}

function postItem(post) {
  return h("li", {},
    h("span", { class: "post-text" }, post.text),
    post.author ? h("span", { class: "tag" }, post.author) : null,
    post.cluster ? h("span", { class: "tag" }, post.cluster) : null,
    h("span", { class: "muted counts" },
      t("Me too: %(me_too)s · Thank you: %(thanks)s · Votes: %(votes)s", post)));
}

function boardView(data) {
  return data.boards.map((board) => h("div", { class: "summary-board" },
    h("h3", {}, board.kind_name),
    board.columns.map((column) => h("div", { class: "summary-column" },
      h("h4", {}, column.prompt),
      column.posts.length ? h("ul", {}, column.posts.map(postItem)) : h("p", { class: "muted" }, "–"))),
    board.clusters.length ? h("p", {}, t("Clusters"), ": ",
      board.clusters.map((c) => `${c.name} (${t("Votes: %(votes)s", { votes: c.votes })})`).join(", ")) : null,
    board.hidden_text ? h("p", { class: "muted hidden-count" }, board.hidden_text) : null,
  ));
}

function dilemmasView(data) {
  return h("ul", {}, data.titles.map((title) => h("li", {}, title)));
}

const VIEWS = { agenda: agendaView, board: boardView, dilemmas: dilemmasView };

// A section this page does not know (another feature's): its Markdown lines, read as
// the little Markdown the server writes (### headings, - items, **bold**), built from
// text nodes only, without Markdown's backslash escapes.
const ESCAPED = /\\([\\`*_{}[\]<>()#+\-.!|~])/g;

function inline(text) {
  // Split on unescaped ** : every second part was bold.
  return text.split(/(?<!\\)\*\*/).map((part, index) => {
    const plain = part.replace(ESCAPED, "$1");
    return index % 2 ? h("strong", {}, plain) : plain;
  });
}

// The little Markdown the server writes (headings, lists, bold), as elements. Headings
// start one level below `top` (an h2 page shows "# " as h3).
export function markdownBlocks(lines, top = 3) {
  const blocks = [];
  let list = null;
  // A list item's text can go on over lines: each but the last ends in a hard break (an
  // unescaped backslash), the next is indented.
  const hardBreak = (text) => (/(^|[^\\])(\\\\)*\\$/.test(text) ? text.slice(0, -1) : text);
  for (const line of (lines || []).flatMap((text) => text.split("\n"))) {
    if (line.startsWith("  ") && list) {
      list.lastChild.append(h("br"), ...inline(hardBreak(line.trim())));
      continue;
    }
    if (line.startsWith("- ")) {
      if (!list) blocks.push(list = h("ul", {}));
      list.append(h("li", {}, inline(hardBreak(line.slice(2)))));
      continue;
    }
    list = null;
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    if (heading) blocks.push(h(`h${Math.min(6, top + heading[1].length - 1)}`, {}, inline(heading[2])));
    else if (line.trim()) blocks.push(h("p", {}, inline(line.trimEnd())));
  }
  return blocks;
}

function genericView(section) {
  return h("div", { class: "summary-lines" }, markdownBlocks(section.markdown, 2));
}

// A host keeps the summary for the group: it then outlives the session's content. The
// first press explains what keeping means; the second keeps it.
function keepControl(live, summary, refresh) {
  const problem = h("p", { class: "error", role: "alert", id: "summary-keep-problem", hidden: true });
  async function keep(value) {
    const reply = await live.command("summary:keep", { keep: value });
    const shown = document.getElementById("summary-keep-problem"); // the one on the page (morph.js)
    if (!reply.ok) {
      shown.textContent = errorText(reply.error);
      shown.hidden = false;
      return;
    }
    summary.kept_at = reply.kept_at;
    asking = false;
    refresh();
  }
  if (summary.kept_at) {
    return h("div", { class: "keep-summary no-print", id: "keep-summary" },
      h("p", {}, t("The group keeps this summary: its facilitators can read it on the group's page after the session's content is deleted.")),
      h("button", { class: "quiet", id: "unkeep-summary", onclick: () => keep(false) }, t("Stop keeping it")),
      problem);
  }
  if (!asking) {
    return h("div", { class: "keep-summary no-print", id: "keep-summary" },
      h("button", { id: "keep-summary-ask", onclick: () => { asking = true; refresh(); } }, t("Keep this summary for the group")),
      problem);
  }
  return h("div", { class: "keep-summary no-print", id: "keep-summary", role: "group" },
    h("p", {}, t("Kept, this summary stays after everything else from the session is deleted, in every language, with what it shows: the names of those who own actions and of authors on a named board. The group's facilitators read it on the group's page.")),
    h("button", { id: "keep-summary-confirm", onclick: () => keep(true) }, t("Keep it")),
    h("button", { class: "quiet", onclick: () => { asking = false; refresh(); } }, t("Cancel")),
    problem);
}

function summaryView(summary) {
  return [
    h("h2", { id: "summary-title" }, t("Summary: %(title)s", { title: summary.title })),
    summary.sections.length ? null : h("p", { class: "muted" }, t("Nothing to sum up.")),
    ...summary.sections.map((section) => h("section", { class: "summary-section", dataset: { key: section.key } },
      h("h3", {}, section.heading),
      (VIEWS[section.key] || (() => genericView(section)))(section.data))),
  ];
}

registerSection(5, (live, context) => {
  if (!context.ended || context.you.role === "display") return null;
  if (!opened) {
    return h("section", { class: "card summary-invite", id: "summary-invite" },
      h("h2", {}, t("The session has ended")),
      h("p", {}, t("Its summary is ready for everyone who took part: the agenda as run, the board, and more.")),
      h("button", { id: "open-summary", onclick: () => { opened = true; context.refresh(); } },
        t("Open the summary")));
  }
  if (!loaded || loaded.language !== currentLanguage()) load(live, context.refresh);
  const problem = h("p", { class: "error", role: "alert", id: "summary-problem", hidden: true });
  const body = !loaded ? h("p", { class: "muted" }, t("Loading the summary…"))
    : loaded.error ? h("p", { class: "error", role: "alert" }, errorText(loaded.error))
    : summaryView(loaded.summary);
  return h("section", { class: "card summary", id: "summary" },
    h("div", { class: "controls no-print" },
      h("button", { id: "download-markdown", onclick: () => download(live, "markdown") }, t("Download Markdown")),
      h("button", { id: "download-csv", onclick: () => download(live, "csv") }, t("Download CSV")),
      h("button", { id: "print-summary", onclick: () => window.print() }, t("Print")),
      h("button", { class: "quiet", id: "close-summary", onclick: () => { opened = false; context.refresh(); } },
        t("Close the summary"))),
    problem,
    loaded && loaded.summary && ["facilitator", "cofacilitator"].includes(context.you.role)
      ? keepControl(live, loaded.summary, context.refresh) : null,
    body,
  );
}, ["session"]);

// The module's state belongs to one session page: a new page starts closed.
export function resetSummary() {
  opened = false;
  loaded = null;
  loading = null;
  asking = false;
}
