"""`psc render` commands (registered on the app)."""
