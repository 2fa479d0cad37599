// The live session's format (a section of the session page, see sections.js): its
// title, length and every phase with its prompts, each viewer in their own language
// (or side by side). The agenda will show the current phase; this stays the overview.
import {
  bilingualToggle, cachedLibrary, contentNode, findFormat, loadLibrary, minutesText,
} from "./content.js";
import { h } from "./dom.js";
import { phaseList } from "./formatview.js";
import { t } from "./i18n.js";
import { formatTime } from "./locale.js";
import { registerSection } from "./sections.js";

function plannedEnd(startedAt, minutes) {
  return new Date(Date.parse(startedAt) + minutes * 60_000).toISOString();
}

function formatSection(live, { refresh }) {
  if (!cachedLibrary()) {
    loadLibrary().then(refresh, () => {}); // without the library the page simply lacks this part
    return null;
  }
  const { session } = live.state;
  const format = findFormat(session.format_key);
  if (!format) return null;
  return h("section", { class: "card format-section", id: "format", dataset: { format: format.key } },
    h("header", { class: "format-head" },
      h("div", {},
        h("p", { class: "eyebrow muted" }, t("Format")),
        contentNode("h2", format.title_key, { id: "format-title" })),
      h("span", { class: "count", id: "format-total" }, minutesText(format.total_minutes)),
    ),
    contentNode("p", format.summary_key, { class: "summary" }),
    session.started_at && session.status === "running" ? h("p", { id: "format-times" },
      t("Started at %(start)s, planned to end at %(end)s.", {
        start: formatTime(session.started_at),
        end: formatTime(plannedEnd(session.started_at, format.total_minutes)),
      })) : null,
    bilingualToggle(),
    // Once the session runs, the agenda above shows where it is; the plan folds away.
    session.status === "waiting"
      ? phaseList(format)
      : h("details", {}, h("summary", {}, t("The format's plan")), phaseList(format)),
  );
}

// After what people act on (the agenda, the board, the pulse, actions): on a phone the
// overview would otherwise push them below the fold.
registerSection(85, formatSection, ["session", "agenda"]);
