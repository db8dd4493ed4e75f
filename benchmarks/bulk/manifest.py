#!/usr/bin/env python3
"""A bulk benchmark's manifest: N items cycling through the sample clips under distinct ids.

    benchmarks/bulk/manifest.py N OUT      (run from the repository root)
"""
import os
import sys

n, out = int(sys.argv[1]), sys.argv[2]
clips = sorted(os.path.abspath(os.path.join("sample-data/clips", c))
               for c in os.listdir("sample-data/clips") if c.endswith(".wav"))
with open(out, "w") as f:
    for i in range(n):
        f.write('{"id":"item-%d","audio":"%s","prompt":"Answer item %d briefly."}\n' % (i, clips[i % len(clips)], i))
