"""Benchmarks at national size: `python -m benchmarks.run --scale full|small` (docs/performance.md)."""
