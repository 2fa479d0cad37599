"""Who is connected right now, kept as rows so any worker can answer."""
