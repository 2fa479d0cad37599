// Features add their part of the live session page here (the agenda, the board).
// A section is (live, context) => Node | null, where context is
// { you, isHost, run(command, payload) -> Promise<reply>, rerender() }.
const SECTIONS = [];

export function registerSection(order, render) {
  SECTIONS.push({ order, render });
  SECTIONS.sort((a, b) => a.order - b.order);
}

export function renderSections(live, context) {
  return SECTIONS.map(({ render }) => render(live, context)).filter(Boolean);
}
