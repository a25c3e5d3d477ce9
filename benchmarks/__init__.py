"""The performance suite: ``uv run python -m benchmarks [--quick] [--json FILE]``.

Each benchmark measures our code next to a floor (the least work the same result needs, done with
the plain library) in the same run, and reports medians and the ratio against a goal.
"""
