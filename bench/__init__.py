"""Benchmarks (`make bench`); a package so that one script can import another's helpers."""
