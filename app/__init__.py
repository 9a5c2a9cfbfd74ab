"""claimtracker: follow quoted claims across news outlets."""
