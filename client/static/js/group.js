// A peer group's home, for its facilitators: its sessions (planned, running, ended) with
// their links and QR codes, planning the next one, who presented when, co-facilitators,
// and deleting a session or the whole group.
import { levelName } from "./action-text.js";
import { deleteJSON, getJSON, postJSON } from "./api.js";
import { appLink, cachedLibrary, findFormat, loadLibrary } from "./content.js";
import { h, saveFile } from "./dom.js";
import { keepFocus } from "./focus.js";
import { morphChildren } from "./morph.js";
import { contentText, currentLanguage, t } from "./i18n.js";
import { errorBox, field, languageField, networkField, showError } from "./forms.js";
import { formatDate, formatDateTime } from "./locale.js";
import { markdownBlocks } from "./summary.js";

const STATUS = {
  waiting: () => t("Planned"),
  running: () => t("In progress"),
  ended: () => t("Ended"),
};

export function groupView(groupId, navigate) {
  const root = h("div", { class: "group", id: "group-page" }, h("p", { class: "muted" }, t("Loading…")));
  const problem = errorBox("group-error");
  let data = null;

  async function load() {
    const [reply] = await Promise.all([getJSON(`/api/groups/${groupId}`), loadLibrary().catch(() => null)]);
    if (!reply.ok) {
      showError(problem, reply.error);
      root.replaceChildren(problem);
      return;
    }
    data = reply;
    render();
  }

  function render() {
    const { group, sessions } = data;
    const focus = keepFocus(root, "group-name");
    morphChildren(root,
      h("h1", { id: "group-name", tabindex: "-1" }, group.name),
      problem,
      planCard(data, groupId, load),
      h("section", { class: "card" },
        h("h2", {}, t("Sessions")),
        sessions.length
          ? h("ul", { class: "group-sessions", id: "group-sessions" }, sessions.map((s) => sessionItem(s, data, navigate, load, problem)))
          : h("p", { class: "muted" }, t("No sessions yet.")),
      ),
      presentersCard(data.presenters),
      openActionsCard(data.open_actions || []),
      facilitatorsCard(data, groupId),
      deleteGroupCard(group, navigate, problem),
    );
    focus();
  }

  load();
  return root;
}

function formatTitle(key) {
  const format = findFormat(key);
  return format ? contentText(format.title_key) : key;
}

function sessionItem(session, data, navigate, reload, problem) {
  const when = session.planned_for || session.started_at || session.created_at;
  return h("li", { class: "group-session", dataset: { code: session.join_code, status: session.status } },
    h("h3", {}, appLink(`/s/${session.join_code}`, navigate, {}, session.title)),
    h("p", { class: "muted" }, t("%(status)s, %(when)s: %(format)s", {
      status: STATUS[session.status](), when: formatDateTime(when), format: formatTitle(session.format_key),
    })),
    session.network ? h("p", { class: "muted network-tag" }, t("A network across organisations")) : null,
    session.status !== "ended" ? h("div", { class: "session-links" },
      h("img", { src: `/api/sessions/${session.join_code}/qr.svg`, alt: t("QR code of the join link"), width: 120, height: 120 }),
      h("dl", {},
        h("dt", {}, t("Join link")), h("dd", {}, h("code", {}, session.join_url)),
        h("dt", {}, t("Join code")), h("dd", {}, h("code", { class: "join-code" }, session.join_code)),
        h("dt", {}, t("Room display")), h("dd", {}, h("a", { href: session.display_url, target: "_blank", rel: "noopener" }, t("Open the room display"))),
      ),
    ) : null,
    session.led_by_you && session.status !== "ended" ? handOver(session, data.facilitators, reload, problem) : null,
    session.summary_kept ? keptSummary(session, problem) : null,
    confirmButton({
      label: t("Delete session"),
      question: t("Delete “%(title)s” and everything in it (people, board posts, agenda) for good? Anyone in it is shown out at once. This cannot be undone.", { title: session.title }),
      confirm: t("Delete the session for good"),
      run: async () => {
        const reply = await deleteJSON(`/api/sessions/${session.join_code}`);
        if (!reply.ok) return showError(problem, reply.error);
        reload();
      },
    }),
  );
}

// The summary the group kept of an ended session, in the reader's language, to read here
// or download as Markdown.
function keptSummary(session, problem) {
  const shown = h("div", { class: "kept-summary", hidden: true });
  let markdown = null;
  async function open() {
    const language = currentLanguage();
    const reply = await getJSON(`/api/sessions/${session.join_code}/kept-summary?language=${language}`);
    if (!reply.ok) return showError(problem, reply.error);
    markdown = reply;
    shown.replaceChildren(...markdownBlocks(reply.markdown.split("\n"), 4),
      h("button", { class: "quiet", onclick: download }, t("Download Markdown")));
    shown.hidden = false;
  }
  function download() {
    saveFile(markdown.markdown, "text/markdown;charset=utf-8", markdown.filename);
  }
  return h("div", {},
    h("button", { class: "quiet open-kept-summary", onclick: open }, t("Read the kept summary")),
    shown);
}

// The lead gives the session to another facilitator of the group; both roles change
// at once on every screen of the session.
function handOver(session, facilitators, reload, problem) {
  const others = facilitators.filter((f) => !f.you);
  if (!others.length) return null;
  const select = h("select", { name: "account_id", "aria-label": t("Hand the session over to") },
    others.map((f) => h("option", { value: String(f.id) }, f.display_name)));
  async function give(event) {
    event.preventDefault();
    const reply = await postJSON(`/api/sessions/${session.join_code}/lead`, { account_id: Number(select.value) });
    if (!reply.ok) return showError(problem, reply.error);
    reload();
  }
  return h("form", { class: "hand-over", onsubmit: give },
    field(t("Hand the session over to"), select),
    h("button", { type: "submit", class: "quiet" }, t("Hand over")));
}

// Plan the next session: from a format, or from the agenda of an earlier session.
function planCard(data, groupId, reload) {
  const error = errorBox("plan-error");
  const from = h("select", { name: "from", id: "plan-from" });
  const fill = (library) => from.replaceChildren(
    ...(data.last_session ? [data.last_session] : []).map((last) =>
      h("option", { value: `session:${last.join_code}` }, t("The agenda of “%(title)s”", { title: last.title }))),
    ...library.formats.map((format) => h("option", { value: `format:${format.key}` }, contentText(format.title_key))),
  );
  if (cachedLibrary()) fill(cachedLibrary());
  else loadLibrary().then(fill, () => {});

  async function plan(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const [kind, value] = String(form.get("from")).split(":");
    const when = form.get("planned_for");
    const reply = await postJSON(`/api/groups/${groupId}/sessions`, {
      title: form.get("title"),
      language: form.get("language"),
      format_key: kind === "format" ? value : undefined,
      agenda_from: kind === "session" ? value : undefined,
      planned_for: when ? new Date(String(when)).toISOString() : null,
      admission: "host",
      network: form.get("network") === "on",
    });
    if (!reply.ok) return showError(error, reply.error);
    event.target.reset();
    reload();
  }

  return h("section", { class: "card" },
    h("h2", {}, t("Plan the next session")),
    h("form", { id: "plan-form", onsubmit: plan },
      field(t("Session title"), h("input", { name: "title", required: true, maxlength: 120 })),
      field(t("When (optional)"), h("input", { name: "planned_for", type: "datetime-local" })),
      languageField(),
      field(t("Start from"), from),
      networkField(),
      error,
      h("button", { type: "submit" }, t("Plan session")),
    ),
  );
}

function presentersCard(presenters) {
  return h("section", { class: "card" },
    h("h2", {}, t("Who presented a dilemma")),
    h("p", { class: "muted" }, t("In a dilemma round, those who have not presented lately come first; you can still change the order.")),
    presenters.length
      ? h("ul", { id: "presenters" }, presenters.map((p) =>
        h("li", {}, t("%(date)s: %(name)s (%(session)s)", { date: formatDate(p.at), name: p.name, session: p.session_title }))))
      : h("p", { class: "muted" }, t("Nobody has presented yet.")),
  );
}

// What the group still has to follow up: its next session opens with these.
function openActionsCard(actions) {
  return h("section", { class: "card" },
    h("h2", {}, t("Open actions")),
    actions.length
      ? h("ul", { id: "open-actions" }, actions.map((a) =>
        h("li", { dataset: { level: a.level } },
          h("span", { class: "tag" }, levelName(a.level)), " ", a.text,
          a.owner ? h("span", { class: "muted" }, " · ", a.owner.kind === "group" ? t("The group") : a.owner.name) : null,
          a.due ? h("span", { class: "muted" }, " · ", t("Due %(date)s", { date: a.due })) : null,
          h("span", { class: "muted" }, " · ", a.session_title))))
      : h("p", { class: "muted" }, t("No open actions to follow up.")),
  );
}

function facilitatorsCard(data, groupId) {
  const link = h("p", { id: "invite-link", class: "muted" });
  async function invite() {
    const reply = await postJSON(`/api/groups/${groupId}/invitations`);
    link.replaceChildren(reply.ok
      ? h("span", {}, t("Send this link to the person you invite (it works once, for a week):"), " ", h("code", {}, reply.invite_url))
      : reply.error.message);
  }
  return h("section", { class: "card" },
    h("h2", {}, t("Facilitators")),
    h("ul", { id: "facilitators" }, data.facilitators.map((f) =>
      h("li", {}, f.you ? t("%(name)s (you)", { name: f.display_name }) : f.display_name))),
    h("button", { class: "quiet", id: "invite", onclick: invite }, t("Invite a co-facilitator")),
    link,
  );
}

function deleteGroupCard(group, navigate, problem) {
  return h("section", { class: "card danger" },
    h("h2", {}, t("Delete the group")),
    confirmButton({
      label: t("Delete group"),
      question: t("Delete “%(name)s” with every session, board post and member in it, for good? This cannot be undone.", { name: group.name }),
      confirm: t("Delete the group for good"),
      run: async () => {
        const reply = await deleteJSON(`/api/groups/${group.id}`);
        if (!reply.ok) return showError(problem, reply.error);
        navigate("/");
      },
    }),
  );
}

// A destructive button asks first, in place: what will happen, then confirm or cancel.
function confirmButton({ label, question, confirm, run }) {
  const box = h("div", { class: "confirm" });
  const ask = () => {
    const cancel = h("button", { class: "quiet", onclick: reset }, t("Cancel"));
    box.replaceChildren(
      h("p", { role: "alert" }, question),
      h("button", { class: "danger", onclick: run }, confirm),
      cancel,
    );
    cancel.focus();
  };
  const reset = () => {
    const cancelled = box.contains(document.activeElement); // the focus goes back to the button
    box.replaceChildren(h("button", { class: "quiet danger", onclick: ask }, label));
    if (cancelled) box.firstChild.focus();
  };
  reset();
  return box;
}
