"""The agenda: timed phases, speaking turns, raised hands and ready signals."""
