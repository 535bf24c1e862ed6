"""Run one command; print its wall time, CPU time and peak RSS as JSON on stdout.

    python benchmarks/_rss.py -- CMD ARGS...

The command runs as this process's child (its output discarded); the peak RSS
is ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` afterwards: the largest
resident set of the command or of any of its own children that it waited for
(per process, not summed). This wrapper starts before the clock does, so its
own start-up is not in the wall time.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    cmd = argv[1:] if argv[:1] == ["--"] else argv
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kb = usage.ru_maxrss  # KiB on Linux
    print(json.dumps({"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "maxrss_kb": peak_kb,
                      "returncode": done.returncode,
                      "stderr": done.stderr.decode("utf-8", "replace")[-2000:]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
