// Form pieces shared by the pages.
import { h } from "./dom.js";

export function field(label, input) {
  return h("label", { class: "field" }, h("span", {}, label), input);
}

export function errorBox() {
  return h("p", { class: "error", role: "alert", hidden: true });
}

export function showError(box, error) {
  box.textContent = error ? error.message : "";
  box.hidden = !error;
}
