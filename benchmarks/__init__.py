"""Benchmarks of ``inami``: a seeded data generator and a runner (``make bench``).

``python -m benchmarks.generate`` writes the data sets; ``python -m benchmarks.run`` measures
start-up, one-case latency, imports, batches and search against floors measured in the same
run, prints one table and writes ``benchmarks/results.json``.
"""
