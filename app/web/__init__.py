"""HTML pages: thin routes over domain/, whole pages or htmx fragments of the same template."""
