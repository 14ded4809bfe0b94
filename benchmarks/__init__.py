"""Benchmarks: measure the project against third-party material in ../shared/corpus/."""
