"""What an operator needs from a running server: readiness, metrics, and the commands
of `python -m server` that check the configuration and run retention now
(docs/operations.md)."""
