// Words for actions: the four IGLO levels, in the model's order (docs/protocol.md §8).
import { t } from "./i18n.js";

export const LEVELS = ["individual", "group", "leader", "organisation"];
const LEVEL_NAMES = {
  individual: () => t("Individual"),
  group: () => t("Group"),
  leader: () => t("Leader"),
  organisation: () => t("Organisation"),
};

export function levelName(level) {
  return (LEVEL_NAMES[level] || (() => level))();
}
