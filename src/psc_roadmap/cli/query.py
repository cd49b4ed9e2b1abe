"""`psc query` commands (registered on the app)."""
