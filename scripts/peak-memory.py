#!/usr/bin/env python3
"""Run a command and report the peak of the summed resident memory of it and
all its descendants (parent + worker processes), sampled every 50 ms from
/proc (Linux). Usage: scripts/peak-memory.py CMD [ARGS...]
Prints `peak RSS (process tree): N MiB` on stderr and exits with the
command's exit code."""
import os
import subprocess
import sys
import time


def tree_rss_kib(root):
    children = {}
    rss = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                stat = f.read()
            with open("/proc/%s/status" % pid) as f:
                status = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(pid))
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[int(pid)] = int(line.split()[1])
    total, stack = 0, [root]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


proc = subprocess.Popen(sys.argv[1:])
peak = 0
while proc.poll() is None:
    peak = max(peak, tree_rss_kib(proc.pid))
    time.sleep(0.05)
print("peak RSS (process tree): %d MiB" % (peak // 1024), file=sys.stderr)
sys.exit(proc.returncode)
