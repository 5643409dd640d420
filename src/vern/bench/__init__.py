"""Benchmark support (issue 9): ``vern bench seed`` and the framework-floor view."""
