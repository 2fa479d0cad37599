"""Peer groups, their sessions, and the people in them."""
