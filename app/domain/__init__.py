"""Domain: every rule of the product, as functions over a Session. Web, API and CLI only call these."""
