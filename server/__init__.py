"""Holdsport: timed, real-time peer sessions for leaders.

This file imports nothing on purpose: `python -m server serve` must be able to let
eventlet patch the standard library before Flask and friends are imported.
The app factory is `server.app.create_app`.
"""
