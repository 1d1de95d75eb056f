"""The benchmark suite of issue 6: `make bench` runs `python -m bench.run` (see bench/run.py)."""
