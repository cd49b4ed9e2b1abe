"""psc-roadmap: a schéma directeur des SI et du numérique as checked, queryable, renderable YAML."""

__version__ = "0.1.0"
