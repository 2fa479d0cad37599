"""The private notebook: each person's own notes in a session, encrypted at rest,
seen by them alone (on any of their connections), exported by them."""
