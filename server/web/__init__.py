"""Serving the browser client: pages, static files, catalogs as JSON."""
