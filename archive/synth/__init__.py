"""Synthetic annual reports for benchmarks and tests: real sentences recombined, real place names.

``generate_corpus(count, out_dir, seed)`` writes ``count`` text reports, deterministic for a seed.
"""

from archive.synth.corpus import generate_corpus

__all__ = ["generate_corpus"]
