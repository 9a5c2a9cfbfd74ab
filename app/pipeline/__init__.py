"""Pure text-to-records pipeline: no ORM, no web, so it can run on strings in tests or a worker."""
