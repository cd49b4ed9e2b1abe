"""`psc authoring` commands (registered on the app)."""
