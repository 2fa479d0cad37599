// The live session page is made of sections (the header, the agenda, the board, ...).
// A section is (live, context) => Node | null, where context is
// { you, isHost, ended, run(command, payload) -> Promise<reply>, refresh() }: refresh
// renders the page again, e.g. when something the section waited for has arrived.
// A section names the parts of live.state it reads (`reads`, keys of the snapshot, or
// "connection"; "you" always); when an event arrives, only the sections whose parts changed (see
// live.versions) render again, and what they render is patched into the page (morph.js).
import { adopt, morph } from "./morph.js";

const SECTIONS = [];

export function registerSection(order, render, reads = null) {
  SECTIONS.push({ order, render, reads });
  SECTIONS.sort((a, b) => a.order - b.order);
}

// Features' sections, and the page's own (`own`: { order, render, reads }), in order.
export function pageSections(own) {
  return [...SECTIONS, ...own].sort((a, b) => a.order - b.order);
}

let renders = 0; // a section that reads everything renders every time

function inputsOf({ reads }, live, context) {
  if (!reads) return `all:${++renders}`;
  return `${context.key}|${["you", ...reads].map((part) => live.versions[part]).join(",")}`;
}

// Keeps `container`'s sections on screen: each as the node it last rendered (a comment
// while it shows nothing), with the inputs it was rendered from.
export function sectionsIn(container) {
  let slots = [];
  return function render(sections, live, context, everything = false) {
    if (slots.length !== sections.length || slots.some((slot, i) => slot.section !== sections[i])) {
      slots = sections.map((section) => ({ section, node: null, inputs: null }));
      container.replaceChildren();
    }
    for (const slot of slots) {
      const inputs = inputsOf(slot.section, live, context);
      if (!everything && inputs === slot.inputs) continue;
      slot.inputs = inputs;
      const next = slot.section.render(live, context) || document.createComment("");
      if (slot.node) slot.node = morph(slot.node, next);
      else container.append(slot.node = adopt(next));
    }
  };
}
