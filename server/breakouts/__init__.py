"""Breakout groups inside one session (issue 12): who sits with whom, with colleagues kept
apart and, in a later breakout phase, peers who already met rotated apart.

So far only the assignment itself (`planning.py`), pure functions with no database; the
phase, its rows and its events come later.
"""
