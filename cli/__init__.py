"""yigai's command layer: argument parsing, output formats and rendering (installed as yigai_cli)."""
