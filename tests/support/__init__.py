"""Helpers shared by tests: a test web site, real Celery workers, the broker."""
