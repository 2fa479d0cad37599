// The psychological-safety pulse on the live session page: the statements with a 1–7
// scale while it is open, "N answered", and after it closes the group's result and the
// trend of the group's pulses (an SVG the server draws, parsed here, never innerHTML).
// Answers leave this page once, in pulse:answer; nothing shows them back to anyone.
import { h } from "./dom.js";
import { contentText, t, tn } from "./i18n.js";
import { formatNumber } from "./locale.js";
import { registerEventAppliers } from "./live.js";
import { registerSection } from "./sections.js";

registerEventAppliers({ "pulse:updated": (state, { pulse }) => { state.pulse = pulse; } });
registerSection(45, renderPulse, ["pulse", "session"]);

const SCALE = [1, 2, 3, 4, 5, 6, 7];
const answered = new Map(); // pulse id -> true/false, as pulse:mine or pulse:answer said
const asking = new Set();
// The error of the last answer the server refused (pulse id and message), rendered in the
// form; the choices themselves stay on the page (morph.js).
let problem = null;
const trends = new Map(); // pulse id -> the server's SVG text, or "loading"

function renderPulse(live, context) {
  const { pulse, you } = live.state;
  if (!pulse) return null;
  const mayAnswer = pulse.status === "open" && you.role !== "display" && you.role !== "waiting";
  if (mayAnswer) askWhetherAnswered(live, context, pulse.id);
  return h("section", { class: "card pulse", id: "pulse", dataset: { status: pulse.status } },
    h("h2", {}, t("Psychological-safety pulse")),
    h("p", { id: "pulse-count" }, tn("%(n)s answered", "%(n)s answered", pulse.answered)),
    pulse.status === "open" ? openPart(pulse, mayAnswer, context) : closedPart(live, context, pulse),
  );
}

function askWhetherAnswered(live, context, id) {
  if (answered.has(id) || asking.has(id)) return;
  asking.add(id);
  live.command("pulse:mine").then((reply) => {
    asking.delete(id);
    if (reply.ok) answered.set(id, reply.answered);
    context.refresh();
  });
}

function openPart(pulse, mayAnswer, context) {
  const intro = h("p", { class: "muted" }, t("Nobody sees your answers. The group sees the result only when at least %(k)s have answered, after the pulse closes.", { k: pulse.k }));
  if (!mayAnswer) return intro;
  if (answered.get(pulse.id)) return h("div", {}, intro, h("p", { id: "pulse-done", role: "status" }, t("Thank you: your answers are counted.")));
  return h("div", {}, intro, answerForm(pulse, context));
}

function answerForm(pulse, context) {
  const message = problem && problem.id === pulse.id ? problem.message : "";
  return h("form", { id: "pulse-form", dataset: { key: pulse.id }, onsubmit: (event) => answer(event, pulse, context) },
    pulse.statements.map((statement, index) => h("fieldset", { class: "pulse-statement" },
      h("legend", {}, `${index + 1}. `, contentText(statement.key)),
      h("div", { class: "pulse-scale" }, SCALE.map((value) => h("label", {},
        h("input", { type: "radio", name: `pulse-${index}`, value: String(value), required: true }),
        ` ${value} `,
        h("span", { class: "muted" }, contentText(`bank.pulse.scale_${value}`)),
      ))),
    )),
    h("p", { class: "error", role: "alert", hidden: !message }, message),
    h("button", { type: "submit" }, t("Send my answers")),
  );
}

async function answer(event, pulse, context) {
  event.preventDefault();
  const { elements } = event.currentTarget; // the choices on the page
  const answers = pulse.statements.map((_, index) => Number(elements[`pulse-${index}`].value));
  const reply = await context.run("pulse:answer", { answers });
  problem = reply.ok ? null : { id: pulse.id, message: reply.error.message };
  if (reply.ok || reply.error.code === "pulse_already_answered") answered.set(pulse.id, true);
  context.refresh();
}

function closedPart(live, context, pulse) {
  if (!pulse.result) {
    return h("p", { id: "pulse-no-result" }, t("Fewer than %(k)s answered: no result.", { k: pulse.k }));
  }
  const { score, statements } = pulse.result;
  return h("div", {},
    h("p", { class: "pulse-score", id: "pulse-score" },
      t("Group score %(score)s of 7 (higher is safer)", { score: formatNumber(score) })),
    h("ol", { class: "pulse-results" }, statements.map((row) => distribution(row))),
    trendChart(live, context, pulse.id),
  );
}

function distribution(row) {
  const most = Math.max(1, ...row.counts);
  return h("li", {},
    h("p", {}, contentText(row.key), row.reverse ? ` ${t("(reverse-scored)")}` : ""),
    h("div", { class: "pulse-bars", role: "img", "aria-label": SCALE.map((v, i) => `${v}: ${row.counts[i]}`).join(", ") },
      SCALE.map((value, index) => h("div", { class: "pulse-bar" },
        h("span", { class: "pulse-bar-fill", style: { "--share": String(row.counts[index] / most) } }),
        h("span", { class: "pulse-bar-label" }, `${value}: ${row.counts[index]}`),
      ))),
  );
}

// The server's SVG, parsed as SVG (never as HTML) and imported into the page: a fresh
// copy at each render, from the text the server sent (null if it is no SVG).
function chartOf(text) {
  const svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
  return svg.nodeName === "svg" ? document.importNode(svg, true) : null;
}

function trendChart(live, context, id) {
  const chart = trends.get(id);
  if (chart && chart !== "loading") return h("figure", { class: "pulse-trend", id: "pulse-trend" }, chartOf(chart));
  if (!chart) {
    trends.set(id, "loading");
    live.command("pulse:trend").then((reply) => {
      if (!reply.ok || !chartOf(reply.svg)) return trends.delete(id);
      trends.set(id, reply.svg);
      context.refresh();
    });
  }
  return h("p", { class: "muted" }, t("Loading…"));
}
