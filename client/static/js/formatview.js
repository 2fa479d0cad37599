// A session format's phases with their minutes, steps and prompts: shared by the
// library page and the live session's format section (format.js).
import { contentNode, minutesText } from "./content.js";
import { h } from "./dom.js";
import { t, tn } from "./i18n.js";

const KIND_TEXT = {
  round: () => t("Round: everyone in turn"),
  dilemma_round: () => t("Dilemma round"),
  discussion: () => t("Discussion"),
  board: () => t("Board"), // anonymous or named is set up in each session
  break: () => t("Break"),
  pulse: () => t("Safety pulse"),
  breakout: () => t("Breakout groups"),
};

export function phaseList(format) {
  return h("ol", { class: "phases" }, format.phases.map(phaseItem));
}

function phaseItem(phase) {
  return h("li", { class: `phase phase-${phase.kind}`, dataset: { phase: phase.key } },
    h("div", { class: "phase-head" },
      contentNode("h3", phase.title_key),
      h("span", { class: "minutes" }, minutesText(phase.minutes)),
    ),
    h("p", { class: "phase-kind muted" },
      phase.words ? contentNode("span", phase.words.kind_name_key) : KIND_TEXT[phase.kind](),
      phase.advance === "auto" ? [" · ", t("moves on by itself")] : null),
    phase.intro_key ? contentNode("p", phase.intro_key, { class: "intro" }) : null,
    phase.kind === "dilemma_round" || phase.kind === "breakout" ? dilemmaSteps(phase) : null,
    phase.prompt_keys.length ? promptList(phase.prompt_keys, "prompts") : null,
    phase.board_prompt_keys.length ? h("div", { class: "board-columns" },
      h("p", { class: "muted" }, t("Columns on the board")),
      promptList(phase.board_prompt_keys, "columns")) : null,
  );
}

function dilemmaSteps(phase) {
  const perPresenter = phase.steps.reduce((sum, step) => sum + step.minutes, 0);
  const who = phase.kind === "breakout"
    ? t("In each group, every member presents in turn, %(minutes)s each", { minutes: minutesText(perPresenter) })
    : tn("%(n)s presenter, %(minutes)s", "%(n)s presenters, %(minutes)s each",
      phase.presenters, { minutes: minutesText(perPresenter) });
  return h("div", { class: "steps" },
    h("p", { class: "muted" }, who),
    // What the presenter is told while the others speak, in a phase with its own words.
    phase.words ? contentNode("p", phase.words.listening_key, { class: "muted listening-note" }) : null,
    h("ol", {}, phase.steps.map((step) =>
      h("li", { dataset: { step: step.key } },
        contentNode("span", step.title_key), " ",
        h("span", { class: "minutes" }, minutesText(step.minutes))))),
  );
}

function promptList(keys, kind) {
  return h("ul", { class: kind }, keys.map((key) => contentNode("li", key, { dataset: { key } })));
}
