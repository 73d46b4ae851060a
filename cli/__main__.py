"""`python -m yigai_cli` runs the yigai command."""

from .main import run

run()
