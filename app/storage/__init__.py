"""Storage: ORM models, the engine factory and the search index; hides SQLite vs PostgreSQL."""
