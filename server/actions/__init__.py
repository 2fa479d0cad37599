"""Actions tagged by IGLO level: recorded in any phase, carried into the group's next session."""
