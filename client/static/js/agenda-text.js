// Words for the agenda: phase kinds, dilemma steps, and titles from content keys.
import { contentText, t } from "./i18n.js";

const KIND_NAMES = {
  round: () => t("Round"),
  dilemma_round: () => t("Dilemma round"),
  discussion: () => t("Discussion"),
  // A board is named or anonymous as its phase is set up: the title says which.
  board: (phase) => (phase?.board_settings?.named ? t("Named board") : t("Anonymous board")),
  break: () => t("Break"),
  follow_up: () => t("Follow-up on actions"),
  pulse: () => t("Safety pulse"),
  breakout: () => t("Breakout groups"),
};

const STEP_NAMES = {
  present: () => t("The presenter explains"),
  clarify: () => t("Clarifying questions"),
  reflect: () => t("The group reflects, the presenter listens"),
  respond: () => t("The presenter responds"),
};

export function kindName(kind, phase = null) {
  return (KIND_NAMES[kind] || (() => kind))(phase);
}

// A phase's kind as it is set up: a board's named or anonymous; a phase with presenters
// that brings no dilemma (peer feedback) in its format's words.
export function phaseKindName(phase) {
  return phase.words ? contentText(phase.words.kind_name_key) : kindName(phase.kind, phase);
}

export function phaseTitle(phase) {
  if (phase.title) return phase.title;
  if (phase.title_key) return contentText(phase.title_key);
  return phaseKindName(phase);
}

export function stepName(step) {
  if (step.title_key) return contentText(step.title_key);
  return (STEP_NAMES[step.key] || (() => step.key))();
}

export function personName(state, participantId) {
  const person = state.participants.find((p) => p.id === participantId);
  return person ? person.display_name : "?";
}

// Who presents, at which step (a phase with its own words brings no dilemma).
export function presenterLine(phase, name, step) {
  return phase.words
    ? t("%(name)s's turn: %(step)s", { name, step: stepName(step) })
    : t("%(name)s's dilemma: %(step)s", { name, step: stepName(step) });
}
