"""corpus_db: turn a folder of news articles into a research-grade SQLite corpus."""

import os

# Ingest runs one process per core; a BLAS thread pool inside each (numpy's
# OpenBLAS under the NER models) only busy-waits against the other workers and
# cost four times the CPU of single-threaded matrix products in measurements
# (benchmarks/RESULTS.md). Set before numpy is imported; a user's own setting wins.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

__version__ = "0.1.0"
