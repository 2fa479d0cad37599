// The join page: a name (and maybe an organisation), and you are in.
import { getJSON, postJSON } from "./api.js";
import { memberKey, saveToken } from "./credentials.js";
import { h } from "./dom.js";
import { currentLanguage, endonym, t } from "./i18n.js";
import { errorBox, field, showError } from "./forms.js";

export function joinView(code, navigate) {
  const error = errorBox("join-page-error");
  // A network session's confidentiality agreement: filled in once the preview says so.
  const agreement = h("div", { id: "agreement", hidden: true });
  const heading = h("h1", {}, t("Join session %(code)s", { code }));
  const form = h("form", { id: "join-details", onsubmit: submit },
    field(t("Your name"), h("input", { name: "display_name", required: true, maxlength: 60, autocomplete: "name" })),
    field(t("Organisation (optional)"), h("input", { name: "organisation", maxlength: 80, autocomplete: "organization" })),
    agreement,
    error,
    h("button", { type: "submit" }, t("Join")),
  );

  getJSON(`/api/sessions/${encodeURIComponent(code)}`).then((reply) => {
    if (!reply.ok) {
      showError(error, reply.error);
      form.querySelector("button").disabled = true;
    } else {
      heading.textContent = reply.session.title;
      if (reply.agreement) showAgreement(agreement, reply.agreement);
    }
  });

  async function submit(event) {
    event.preventDefault();
    const data = new FormData(form);
    const reply = await postJSON("/api/join", {
      join_code: code,
      display_name: data.get("display_name"),
      organisation: data.get("organisation") || null,
      language: currentLanguage(),
      member_key: memberKey(),
      agree: data.get("agree") === "on",
    });
    if (!reply.ok) return showError(error, reply.error);
    saveToken(reply.join_code, reply.token);
    navigate(`/s/${reply.join_code}`);
  }

  return h("div", { class: "card narrow" }, heading, form);
}

// The agreement in the session's language, then the other (each marked with its own
// language, so a screen reader reads it right); ticking "I agree" is required to join.
function showAgreement(box, texts) {
  box.replaceChildren(
    h("h2", {}, t("What is said here stays here")),
    ...texts.map((text) => h("blockquote", { lang: text.language, class: "agreement-text", dataset: { language: text.language } },
      h("small", { class: "muted", translate: "no" }, endonym(text.language)), h("p", {}, text.text))),
    h("label", { class: "check" },
      h("input", { type: "checkbox", name: "agree", id: "agree", required: true }), t("I agree")),
  );
  box.hidden = false;
}
