"""A peer group's home for its facilitators: its sessions, who presented, invitations."""
