"""yigai's command layer: argument parsing, output formats and rendering (installed as yigai_cli)."""

import os

# yigai multiplies only small matrices, one BLAS thread at a time: OpenBLAS's own thread pool, which it starts
# when numpy is imported, would cost ~80 ms of CPU a run and save nothing (a user's own setting is kept).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
