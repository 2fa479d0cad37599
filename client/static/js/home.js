// The front page: start a new session (in a format from the library), or join one.
import { postJSON } from "./api.js";
import { appLink, cachedLibrary, contentNode, findFormat, loadLibrary, minutesText } from "./content.js";
import { saveShareable, saveToken } from "./credentials.js";
import { h } from "./dom.js";
import { availableLanguages, contentText, currentLanguage, endonym, t } from "./i18n.js";
import { field, errorBox, showError } from "./forms.js";

export function homeView(navigate) {
  const createError = errorBox("create-error");
  const joinError = errorBox("join-error");
  const formatPicker = formatField(navigate);

  async function create(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const reply = await postJSON("/api/sessions", {
      title: form.get("title"),
      group_name: form.get("group_name") || null,
      facilitator_name: form.get("facilitator_name"),
      organisation: form.get("organisation") || null,
      language: form.get("language"),
      format_key: form.get("format_key") || "free",
      admission: form.get("admission") || "host",
    });
    if (!reply.ok) return showError(createError, reply.error);
    saveToken(reply.join_code, reply.facilitator_token);
    saveShareable(reply.join_code, { display_key: reply.display_key, group_key: reply.group_key });
    navigate(`/s/${reply.join_code}`);
  }

  function join(event) {
    event.preventDefault();
    const code = new FormData(event.target).get("join_code").toUpperCase().replace(/[^A-Z0-9]/g, "");
    if (!code) return showError(joinError, { render: () => t("Type the join code you were given.") });
    navigate(`/j/${code}`);
  }

  // Each language by its own name (as in the language switch), which is not translated.
  const languageOptions = availableLanguages().map((language) =>
    h("option", { value: language, selected: language === currentLanguage(), lang: language, translate: "no" },
      endonym(language)),
  );

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
    h("section", { class: "card" },
      h("h2", {}, t("Start a new session")),
      h("form", { id: "create-form", onsubmit: create },
        field(t("Session title"), h("input", { name: "title", required: true, maxlength: 120 })),
        field(t("Peer group (optional)"), h("input", { name: "group_name", maxlength: 120 })),
        field(t("Your name"), h("input", { name: "facilitator_name", required: true, maxlength: 60 })),
        field(t("Organisation (optional)"), h("input", { name: "organisation", maxlength: 80 })),
        field(t("Session language"), h("select", { name: "language" }, languageOptions)),
        formatPicker,
        field(t("Who lets people in"), h("select", { name: "admission" },
          h("option", { value: "host", selected: true }, t("I let each person in (recommended)")),
          h("option", { value: "code" }, t("Anyone with the join code")))),
        createError,
        h("button", { type: "submit" }, t("Create session")),
      ),
    ),
  );
}

// The format select, with the chosen format's summary, audience and length beside it.
function formatField(navigate) {
  const select = h("select", { name: "format_key", id: "format-key", onchange: describe });
  const details = h("div", { class: "format-details muted", id: "format-details" });

  function fill(library) {
    select.replaceChildren(...library.formats.map((format) =>
      h("option", { value: format.key, selected: format.key === "free" },
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
