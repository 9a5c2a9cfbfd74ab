"""Quality benchmarks over ../shared/devdata (public data sets): never part of the test suite."""
