// A page that renders a part of itself again keeps the keyboard's focus near where it
// was. The session page patches its sections in place (morph.js), so a field being typed
// in stays the same element, with its text and caret; this is for a focused element the
// render took away (a "raise hand" button that became "lower hand", a removed row): the
// focus goes to its stand-in or stays near it (findPlace), never on the page's body.

// Call before rendering `container`; call what it returns after. `fallbackId`: where the
// focus goes when nothing near the old place is left.
export function keepFocus(container, fallbackId = null) {
  const active = document.activeElement;
  if (!active || active === document.body || !container.contains(active)) return () => {};
  const place = focusPlace(active, container);
  return () => {
    // Something the render did itself (a form that focuses its field) wins.
    if (document.activeElement && document.activeElement !== document.body) return;
    // Kept but moved (moving blurs), or gone.
    const again = active.isConnected ? active : findPlace(place, container, fallbackId);
    if (again) again.focus();
  };
}

const FOCUSABLE = "button, input, select, textarea, a[href], summary, [tabindex]";

function focusables(box) {
  return [...box.querySelectorAll(FOCUSABLE)].filter((el) => !el.disabled && el.tabIndex >= 0 && !el.closest("[hidden]"));
}

// Where a focused element sits: its id, the `data-focus` key it shares with its stand-in
// (raise and lower hand), and its rank among the focusable elements of each ancestor that
// names itself (an id, or a data-…-id such as a post's or a person's), nearest first.
function focusPlace(element, container) {
  const anchors = [];
  for (let box = element.parentElement; box && box !== container; box = box.parentElement) {
    const selector = anchorSelector(box);
    if (selector) anchors.push({ selector, rank: focusables(box).indexOf(element) });
  }
  return { id: element.id, partner: element.dataset.focus, anchors };
}

function anchorSelector(box) {
  if (box.id) return `#${CSS.escape(box.id)}`;
  const key = Object.keys(box.dataset).find((name) => name.endsWith("Id"));
  if (!key) return null;
  const attribute = key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  return `[data-${attribute}="${CSS.escape(box.dataset[key])}"]`;
}

// The same control, its stand-in, the control at its rank in the nearest named part that
// is still there (clamped: a removed last row leaves the focus on the one before), else
// the fallback.
function findPlace({ id, partner, anchors }, container, fallbackId) {
  const same = (id && document.getElementById(id))
    || (partner && container.querySelector(`[data-focus="${CSS.escape(partner)}"]`));
  if (same) return same;
  for (const { selector, rank } of anchors) {
    const box = container.querySelector(selector);
    const inside = box ? focusables(box) : [];
    if (inside.length) return inside[Math.max(0, Math.min(rank, inside.length - 1))];
  }
  return fallbackId && document.getElementById(fallbackId);
}
