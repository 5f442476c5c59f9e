#!/usr/bin/python3
"""Python side of tests/bench/cluster_compare.ts (run that file, not this one).

Usage: cluster_compare.py CASE FILE N P REPEATS
  CASE  scipy-olo     scipy linkage(X, "average", optimal_ordering=True)
        scipy-linkage scipy linkage(X, "average")
        fastcluster   fastcluster.linkage(X, "average")
  FILE  N x P float64 little-endian matrix
Prints one JSON line: median wall seconds, median CPU seconds of this (main) thread and of the whole
process during the call, peak RSS (MB) of this process, the leaf order or heights.
"""
import json
import resource
import sys
import time

import numpy as np


def main():
    case, path, n, p, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    X = np.fromfile(path, dtype="<f8").reshape(n, p)
    if case == "fastcluster":
        import fastcluster
        run = lambda: fastcluster.linkage(X, method="average")  # noqa: E731
    else:
        from scipy.cluster.hierarchy import linkage
        olo = case == "scipy-olo"
        run = lambda: linkage(X, method="average", optimal_ordering=olo)  # noqa: E731
    times = []
    cpus = []
    threads = []
    for _ in range(repeats):
        c0 = time.process_time()
        h0 = time.thread_time()
        t0 = time.perf_counter()
        Z = run()
        times.append(time.perf_counter() - t0)
        threads.append(time.thread_time() - h0)
        cpus.append(time.process_time() - c0)
    from scipy.cluster.hierarchy import leaves_list
    out = {
        "seconds": float(sorted(times)[len(times) // 2]),
        "cpuSeconds": float(sorted(cpus)[len(cpus) // 2]),
        "threadSeconds": float(sorted(threads)[len(threads) // 2]),
        "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "order": leaves_list(Z).tolist(),
        "heights": Z[:, 2].tolist(),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
