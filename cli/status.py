"""Exit codes, named in one place."""

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0  # done, or the gate passed
    GATE_FAILED = 1  # `yigai check` only: a gate failed
    CONFLICTS = 1  # `yigai decisions merge` only: reviewers disagree on some pairs, all kept and listed (GATE_FAILED's 1)
    BAD_INPUT = 2  # bad input or usage: one line on stderr
    INTERNAL = 3  # a bug in yigai: one line on stderr, please report it
    INTERRUPTED = 130  # SIGINT (Ctrl-C): 128 + 2, as a shell reports it
    TERMINATED = 143  # SIGTERM: 128 + 15
