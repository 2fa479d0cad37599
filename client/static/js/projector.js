// The room display as a projector shows it (docs/protocol.md §3, "The room display"):
// large type for the back of the room; the join QR code and link while people arrive;
// then the phase, the countdown, who speaks (first name only), breakout seating and the
// board as revealed. No organisation (the server sends none to a display), nobody away,
// nothing not yet shown, no controls but the language.
//
// Language: the session's, whatever the projector's browser prefers, unless someone picks
// another here (kept for this tab only). The rule for side by side: while the people
// present (hosts included) joined in more than one language, the display shows the
// session's language and theirs beside it; "Both" shows every language at any time.
import { phaseKindName, phaseTitle, presenterLine } from "./agenda-text.js";
import { runningRound } from "./breakout-parts.js";
import { displayPlan, syntheses } from "./breakouts.js";
import { formatClock, keepTicking, remainingSeconds } from "./countdown.js";
import { h } from "./dom.js";
import {
  availableLanguages, contentText, currentLanguage, endonym, hasCatalog, inLanguage, loadCatalog, loadLanguage, t, tn,
} from "./i18n.js";

const BOTH = "both";
const choiceKey = (code) => `holdsport:display-language:${code}`;
const joinLinks = new Map(); // join code -> {join_url, qr_svg}, asked for once per page life

// Which languages the room reads, the first being the page's own (docs above).
export function roomLanguages(state, choice) {
  const all = availableLanguages();
  const primary = all.includes(choice) ? choice : state.session.language;
  if (choice === BOTH) return [primary, ...all.filter((language) => language !== primary)];
  if (choice) return [primary];
  const spoken = state.participants.filter((p) => p.admitted && p.present).map((p) => p.language);
  return [primary, ...new Set(spoken.filter((language) => language !== primary && all.includes(language)))];
}

export function projectorView(live, code, refresh) {
  const { state } = live;
  const choice = sessionStorage.getItem(choiceKey(code));
  const languages = roomLanguages(state, choice);
  if (!settleLanguages(languages, refresh)) return h("p", { class: "muted" }, t("Connecting…"));
  const say = sayIn(languages);
  const { session } = state;
  // People arrive before the start, and whenever a host puts the join code up in full.
  const arriving = session.status === "waiting" || (session.status === "running" && session.show_join);
  return h("div", { class: `projector${arriving ? " arriving" : ""}`, id: "projector", dataset: { languages: languages.join(" ") } },
    h("header", { class: "projector-head" },
      h("h1", { id: "session-title" }, session.title),
      languageSwitch(code, choice, languages, refresh)),
    session.status === "ended"
      ? h("p", { class: "projector-ended", id: "projector-ended" }, say(() => t("The session has ended. Thank you.")))
      : [arriving ? null : nowPanel(live, say), joinPanel(live, code, say, arriving, refresh)],
    arriving ? presentPeople(state, say) : null,
    // A board opened before the start shows while people arrive, as revealed so far.
    arriving && state.board && state.board.status !== "closed" ? boardPanel(state, say) : null,
  );
}

let loading = null; // the languages being loaded, so renders meanwhile do not ask again

// The page's language must be the first, and every other one's catalog at hand; false
// while they load (loading the page's language renders the page again, and so do these).
function settleLanguages(languages, refresh) {
  const [primary, ...others] = languages;
  const missing = others.filter((language) => !hasCatalog(language));
  if (currentLanguage() === primary && !missing.length) return true;
  const wanted = languages.join(" ");
  if (loading !== wanted) {
    loading = wanted;
    const page = currentLanguage() === primary ? null : loadLanguage(primary, { remember: false });
    Promise.all([page, ...missing.map(loadCatalog)]).then(() => {
      loading = null;
      refresh();
    });
  }
  return false;
}

// `render` said in each language the room reads, side by side; a text that reads the
// same in two ("Check-in") once.
function sayIn(languages) {
  return (render) => {
    const texts = languages.map((language) => [language, inLanguage(language, render)]);
    const shown = texts.filter(([, text], index) => texts.findIndex(([, other]) => other === text) === index);
    if (shown.length === 1) return shown[0][1];
    return h("span", { class: "side-by-side" },
      shown.map(([language, text]) => h("span", { class: "in-language", lang: language }, text)));
  };
}

function languageSwitch(code, choice, languages, refresh) {
  const pick = (value) => () => {
    sessionStorage.setItem(choiceKey(code), value);
    refresh();
  };
  const single = languages.length === 1 ? languages[0] : null;
  return h("nav", { class: "projector-languages", id: "projector-languages", translate: "no", "aria-label": t("Language") },
    availableLanguages().map((language) => h("button", {
      class: "lang", lang: language, dataset: { language }, "aria-pressed": String(single === language),
      onclick: pick(language),
    }, endonym(language))),
    h("button", { class: "lang", dataset: { language: BOTH }, "aria-pressed": String(!single), onclick: pick(BOTH) },
      availableLanguages().map(endonym).join(" + ")));
}

// The QR code and the short link: large while people arrive, else in a corner for
// whoever comes late.
function joinPanel(live, code, say, large, refresh) {
  const link = joinLinks.get(code);
  if (!link) {
    joinLinks.set(code, null);
    live.command("session:join_link").then((reply) => {
      if (reply.ok) joinLinks.set(code, reply);
      else joinLinks.delete(code); // asked again at the next render
      refresh();
    });
  }
  const address = link ? link.join_url.replace(/^https?:\/\//, "") : "";
  return h("section", { class: large ? "projector-join large" : "projector-join", id: "projector-join" },
    link ? h("div", { class: "qr", id: "join-qr", role: "img", "aria-label": t("QR code of the join link") }, qrCode(link.qr_svg)) : null,
    h("div", { class: "join-text" },
      h("p", {}, say(() => t("Scan the code or open"))),
      h("p", { class: "join-link", id: "projector-join-link", translate: "no" }, address),
      h("p", {}, say(() => t("Join code"))),
      h("p", { class: "join-code", id: "projector-join-code", translate: "no" }, live.state.session.join_code)),
  );
}

// The server's SVG, parsed as SVG (never as HTML) and adopted into the page.
function qrCode(svg) {
  const parsed = new DOMParser().parseFromString(svg, "image/svg+xml").documentElement;
  return parsed.localName === "svg" ? document.importNode(parsed, true) : null;
}

// Who is here: first names of the people present, nobody away or at the door.
function presentPeople(state, say) {
  const here = state.participants.filter((p) => p.admitted && p.present);
  return h("section", { class: "projector-people", id: "projector-people" },
    h("p", { class: "count" }, say(() => tn("%(n)s present", "%(n)s present", here.length))),
    h("ul", {}, here.map((p) => h("li", { dataset: { participantId: p.id } }, firstName(p.display_name)))));
}

function firstName(name) {
  return name.trim().split(/\s+/)[0];
}

function nowPanel(live, say) {
  const { state } = live;
  const { agenda } = state;
  const phase = agenda.phases.find((p) => p.id === agenda.current.phase_id) || null;
  if (!phase) return h("p", { class: "projector-phase", id: "phase-title" }, say(() => t("The agenda is through.")));
  keepTicking(live);
  const round = runningRound(state);
  return h("section", { class: "projector-now", id: "projector-now" },
    h("div", { class: "projector-status" },
      h("h2", { class: "projector-phase", id: "phase-title" }, say(() => phaseTitle(phase))),
      phaseTitle(phase) === phaseKindName(phase) ? null : h("p", { class: "kind" }, say(() => phaseKindName(phase))),
      speakerLine(state, phase, say),
      h("div", { id: "countdown", class: "countdown", role: "timer", "aria-live": "off" }, formatClock(remainingSeconds(live))),
      h("div", { id: "countdown-label", class: "muted" })),
    round ? displayPlan(live, round, say) : syntheses(live),
    phase.kind === "board" || (state.board && state.board.status !== "closed") ? boardPanel(state, say) : null,
  );
}

// Who has the word: the speaking turn (and its step in a dilemma round), else a hand given it.
function speakerLine(state, phase, say) {
  const { agenda } = state;
  const turn = agenda.turns.find((item) => item.id === agenda.current.turn_id);
  const hand = agenda.hands.find((item) => item.status === "speaking");
  const id = turn ? turn.participant_id : hand ? hand.participant_id : null;
  const person = state.participants.find((p) => p.id === id);
  if (!person) return null;
  const name = firstName(person.display_name);
  const step = phase.kind === "dilemma_round" && turn ? phase.steps[agenda.current.step_index] : null;
  return h("p", { class: "speaker", id: "current-speaker" }, say(() => step
    ? presenterLine(phase, name, step)
    : t("Speaking: %(name)s", { name })));
}

// Only what the server has shown: the state holds shown posts only, and a hidden one
// has no text for anyone but a facilitator (docs/protocol.md §7).
function boardPanel(state, say) {
  const { board } = state;
  if (!board) return null;
  const posts = board.posts.filter((post) => !post.hidden && post.text);
  return h("section", { class: "projector-board", id: "projector-board" },
    posts.length ? null : h("p", { class: "count" }, say(() =>
      tn("%(n)s post written.", "%(n)s posts written.", board.count))),
    h("div", { class: "projector-columns", style: { "--columns": String(board.prompts.length) } },
      board.prompts.map((prompt, index) => h("div", { class: "projector-column" },
        h("h3", {}, say(() => (prompt.text !== undefined ? prompt.text : contentText(prompt.key)))),
        h("ul", { class: "posts" }, posts.filter((post) => post.prompt === index).map((post) =>
          h("li", { class: "post", dataset: { postId: post.id } }, post.text)))))),
  );
}
