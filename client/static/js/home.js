// The front page: join a session; a signed-in facilitator also sees their peer groups
// and starts a new session (in a format from the library), anyone else a way to sign in.
import { account, getJSON, postJSON } from "./api.js";
import { appLink, cachedLibrary, contentNode, findFormat, loadLibrary, minutesText } from "./content.js";
import { h } from "./dom.js";
import { contentText, t } from "./i18n.js";
import { field, errorBox, languageField, networkField, showError } from "./forms.js";

export function homeView(navigate) {
  // "Use this format" in the library comes here with ?format=<key>.
  const chosen = new URLSearchParams(location.search).get("format");
  if (chosen && account()) {
    requestAnimationFrame(() => document.querySelector("#create-form input[name=title]")?.focus());
  }
  const createError = errorBox("create-error");
  const joinError = errorBox("join-error");
  const formatPicker = formatField(navigate, chosen);

  async function create(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const group = form.get("group_id");
    const reply = await postJSON("/api/sessions", {
      title: form.get("title"),
      group_id: group ? Number(group) : null,
      group_name: group ? null : form.get("group_name") || null,
      organisation: form.get("organisation") || null,
      language: form.get("language"),
      format_key: form.get("format_key") || "free",
      admission: form.get("admission") || "host",
      network: form.get("network") === "on",
    });
    if (!reply.ok) return showError(createError, reply.error);
    navigate(`/s/${reply.join_code}`);
  }

  function join(event) {
    event.preventDefault();
    const code = new FormData(event.target).get("join_code").toUpperCase().replace(/[^A-Z0-9]/g, "");
    if (!code) return showError(joinError, { render: () => t("Type the join code you were given.") });
    navigate(`/j/${code}`);
  }

  return h("div", { class: "home" },
    h("section", { class: "intro" },
      h("h1", {}, t("Leadership is a team sport")),
      h("p", {}, t("Meet your peer group for a timed session about the psychosocial work environment: share dilemmas, take turns, and write anonymously about what is hard.")),
      h("p", {}, appLink("/library", navigate, { id: "library-link" },
        t("Browse the formats and question banks in the content library"))),
    ),
    h("section", { class: "card" },
      h("h2", {}, t("Join a session")),
      h("form", { id: "join-form", onsubmit: join },
        field(t("Join code"), h("input", { name: "join_code", required: true, maxlength: 16, autocomplete: "off", autocapitalize: "characters", class: "code-input" })),
        joinError,
        h("button", { type: "submit" }, t("Continue")),
      ),
    ),
    account() ? groupsCard(navigate) : signInCard(navigate),
    account() ? h("section", { class: "card" },
      h("h2", {}, t("Start a new session")),
      h("form", { id: "create-form", onsubmit: create },
        field(t("Session title"), h("input", { name: "title", required: true, maxlength: 120 })),
        groupField(),
        field(t("Organisation (optional)"), h("input", { name: "organisation", maxlength: 80 })),
        languageField(),
        formatPicker,
        field(t("Who lets people in"), h("select", { name: "admission" },
          h("option", { value: "host", selected: true }, t("I let each person in (recommended)")),
          h("option", { value: "code" }, t("Anyone with the join code")))),
        networkField(),
        createError,
        h("button", { type: "submit" }, t("Create session")),
      ),
    ) : null,
  );
}

let knownGroups = []; // the last list fetched, so a re-render shows it at once

function loadGroups(render) {
  getJSON("/api/groups").then((reply) => {
    if (!reply.ok) return;
    knownGroups = reply.groups;
    render();
  });
}

// The signed-in facilitator's peer groups, each a link to its page.
function groupsCard(navigate) {
  const list = h("ul", { class: "groups", id: "my-groups" });
  const render = () => list.replaceChildren(...(knownGroups.length
    ? knownGroups.map((group) => h("li", {}, appLink(`/g/${group.id}`, navigate, {}, group.name)))
    : [h("li", { class: "muted" }, t("No groups yet: a group is made with its first session."))]));
  render();
  loadGroups(render);
  return h("section", { class: "card" }, h("h2", {}, t("Your peer groups")), list);
}

// A new session goes into one of the facilitator's groups, or starts a new group.
function groupField() {
  const name = field(t("Name of the new peer group (optional)"), h("input", { name: "group_name", maxlength: 120 }));
  const select = h("select", { name: "group_id", id: "group-choice", onchange: () => { name.hidden = Boolean(select.value); } },
    h("option", { value: "" }, t("A new peer group")));
  const fill = () => select.replaceChildren(select.firstChild,
    ...knownGroups.map((group) => h("option", { value: String(group.id) }, group.name)));
  fill();
  loadGroups(fill);
  return h("div", {}, field(t("Peer group"), select), name);
}

function signInCard(navigate) {
  return h("section", { class: "card" },
    h("h2", {}, t("Facilitating a peer group?")),
    h("p", {}, t("Sign in to start sessions, plan the next one and run them from any device.")),
    h("p", {}, appLink("/account", navigate, { id: "facilitator-sign-in" }, t("Sign in or create a facilitator account"))),
  );
}

// The format select, with the chosen format's summary, audience and length beside it.
function formatField(navigate, chosen) {
  const select = h("select", { name: "format_key", id: "format-key", onchange: describe });
  const details = h("div", { class: "format-details muted", id: "format-details" });

  function fill(library) {
    select.replaceChildren(...library.formats.map((format) =>
      h("option", { value: format.key, selected: format.key === (findFormat(chosen) ? chosen : "free") },
        `${contentText(format.title_key)} (${minutesText(format.total_minutes)})`)));
    describe();
  }

  function describe() {
    const format = findFormat(select.value);
    if (!format) return details.replaceChildren();
    details.replaceChildren(
      contentNode("p", format.summary_key),
      contentNode("p", format.audience_key, { class: "audience" }),
      h("p", {}, appLink(`/library/${format.key}`, navigate, {}, t("See every phase and prompt"))),
    );
  }

  // Synchronous once loaded, so a language switch can put the chosen format back at once.
  if (cachedLibrary()) fill(cachedLibrary());
  else loadLibrary().then(fill, () => {});
  return h("div", { class: "format-field" }, field(t("Format"), select), details);
}
