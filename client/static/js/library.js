// The content library, readable without joining anything: /library lists the formats
// and the question banks grouped by the model they come from; /library/<key> shows one
// format in full. Everything in the viewer's language, or side by side.
import { afterSignIn } from "./account.js";
import { account, getJSON } from "./api.js";
import {
  appLink, bilingualToggle, cachedLibrary, contentNode, findFormat, findModel, loadLibrary,
  minutesText,
} from "./content.js";
import { h } from "./dom.js";
import { errorBox, showError } from "./forms.js";
import { t, tn } from "./i18n.js";
import { phaseList } from "./formatview.js";

const ITEM_KIND_TEXT = {
  question: () => t("Question"),
  example: () => t("Example"),
  description: () => t("About"),
  feedback_question: () => t("Feedback question"),
  action: () => t("Actions"),
  column: () => t("Board column"),
  statement: () => t("Pulse statement"),
  scale: () => t("Scale point"),
};

export function libraryView(formatKey, navigate) {
  const root = h("div", { class: "library", id: "library" }, h("p", { class: "muted" }, t("Loading…")));
  const problem = errorBox("library-error");

  function render() {
    const library = cachedLibrary();
    if (!library) return;
    if (!formatKey) return root.replaceChildren(...overview(library, navigate));
    const format = findFormat(formatKey);
    if (format) return root.replaceChildren(...formatPage(format, navigate));
    // Not in the library: the server's answer names the problem (unknown_format).
    getJSON(`/api/library/formats/${encodeURIComponent(formatKey)}`).then((reply) => {
      showError(problem, reply.error);
      root.replaceChildren(backLink(navigate), problem);
    });
  }

  if (cachedLibrary()) render();
  else loadLibrary().then(render);
  return root;
}

function backLink(navigate) {
  return h("p", {}, appLink("/library", navigate, { class: "back" }, t("All formats and question banks")));
}

function credit(model) {
  return model ? h("p", { class: "credit muted" }, h("span", {}, t("Source:")), " ",
    contentNode("span", model.credit_key)) : null;
}

function overview(library, navigate) {
  return [
    h("header", { class: "library-head" },
      h("h1", {}, t("Content library")),
      h("p", {}, t("Session formats ready to run, and question banks whose prompts a facilitator can add to any phase.")),
      bilingualToggle(),
    ),
    h("section", { class: "formats", id: "formats" },
      h("h2", {}, t("Session formats")),
      h("ul", { class: "format-list" }, library.formats.map((format) => formatCard(format, navigate))),
    ),
    h("section", { class: "banks", id: "banks" },
      h("h2", {}, t("Question banks")),
      library.models.map((model) => modelSection(library, model)),
    ),
    contentNode("p", library.source_key, { class: "credit muted", id: "library-source" }),
  ];
}

// Start a session from this format: the front page's form with it chosen; someone not
// signed in signs in (or up) first and comes back to that form.
function useFormat(format, navigate) {
  const path = `/?format=${encodeURIComponent(format.key)}`;
  const signedIn = Boolean(account());
  const go = () => {
    if (signedIn) return navigate(path);
    afterSignIn(path);
    navigate("/account");
  };
  return h("p", {}, h("button", { type: "button", class: "small use-format", onclick: go },
    signedIn ? t("Use this format") : t("Sign in to use this format")));
}

function formatCard(format, navigate) {
  const model = findModel(format.model);
  return h("li", { class: "card format-card", dataset: { format: format.key } },
    h("h3", {}, appLink(`/library/${format.key}`, navigate, {}, contentNode("span", format.title_key))),
    contentNode("p", format.summary_key),
    h("p", { class: "muted" },
      h("span", { class: "total-minutes" }, minutesText(format.total_minutes)), " · ",
      tn("%(n)s phase", "%(n)s phases", format.phases.length),
      model ? [" · ", contentNode("span", model.title_key)] : null),
    useFormat(format, navigate),
  );
}

function modelSection(library, model) {
  const banks = library.banks.filter((bank) => bank.model === model.key);
  return h("section", { class: "card model", dataset: { model: model.key } },
    contentNode("h3", model.title_key),
    credit(model),
    banks.map(bankSection),
  );
}

function bankSection(bank) {
  const ungrouped = bank.items.filter((item) => !item.group);
  return h("div", { class: "bank", dataset: { bank: bank.key } },
    contentNode("h4", bank.title_key),
    contentNode("p", bank.intro_key, { class: "intro" }),
    ungrouped.length ? itemList(ungrouped) : null,
    bank.groups.map((group) => h("div", { class: "bank-group" },
      contentNode("h5", group.title_key),
      itemList(bank.items.filter((item) => item.group === group.key)))),
  );
}

function itemList(items) {
  return h("ul", { class: "items" }, items.map((item) =>
    h("li", { class: `item item-${item.kind}`, dataset: { key: item.content_key } },
      h("span", { class: "tag" }, ITEM_KIND_TEXT[item.kind]()), " ",
      contentNode("span", item.content_key))));
}

function formatPage(format, navigate) {
  const model = findModel(format.model);
  return [
    backLink(navigate),
    h("header", { class: "library-head" },
      contentNode("h1", format.title_key),
      contentNode("p", format.summary_key, { class: "summary" }),
      h("dl", { class: "facts" },
        h("dt", {}, t("Length")),
        h("dd", { id: "format-total", dataset: { minutes: format.total_minutes } },
          minutesText(format.total_minutes)),
        h("dt", {}, t("Who it is for")),
        contentNode("dd", format.audience_key),
        model ? h("dt", {}, t("Model")) : null,
        model ? h("dd", {}, contentNode("span", model.title_key), credit(model)) : null,
      ),
      bilingualToggle(),
      useFormat(format, navigate),
    ),
    phaseList(format),
  ];
}
