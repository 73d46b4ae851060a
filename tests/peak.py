"""yigai run in a process that tells, at exit, its own peak resident size (not its workers'), for the memory test
and bench/speed.py. Exact, where sampling /proc may miss a peak reached in the last moments (writing the output).
VmHWM, not getrusage's ru_maxrss: that one keeps the size of the process that forked it (pytest, or the bench,
larger than yigai). The KiB go to the file that the environment variable named PEAK_FILE names."""

PEAK_FILE = "YIGAI_PEAK_FILE"

PARENT_PEAK = f"""\
import atexit, os, sys
def _peak():
    with open("/proc/self/status", encoding="ascii") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(os.environ["{PEAK_FILE}"], "w") as handle:
        handle.write(peak)
atexit.register(_peak)
sys.argv[0] = "yigai"
from yigai_cli.main import run
run()
"""
