"""The summary of an ended session, for everyone who was in it: the page and its exports."""
