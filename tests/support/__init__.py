"""Real parts for tests: a redis-server on a free port, the service in a subprocess."""
