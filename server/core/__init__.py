"""Shared plumbing: database, clock, errors, i18n, realtime publishing."""
