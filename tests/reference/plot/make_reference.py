"""References for lib/plot/distribution.ts: box statistics (numpy percentiles, linear = R type 7) and
Gaussian kernel densities with Silverman's bandwidth (statsmodels KDEUnivariate, fft=False).

Run: /usr/bin/python3 tests/reference/plot/make_reference.py  (writes reference.json beside this file)
Inputs are generated here by a fixed LCG and written into the JSON, so the test reads them from there.
"""
import json
import os

import numpy as np
import statsmodels
from statsmodels.nonparametric.bandwidths import bw_silverman
from statsmodels.nonparametric.kde import KDEUnivariate


def lcg(seed, n, lo, hi):
    out, s = [], seed
    for _ in range(n):
        s = (1103515245 * s + 12345) % 2**31
        out.append(round(lo + (hi - lo) * s / 2**31, 6))
    return out


inputs = {
    "small": [1.0, 2.0, 2.0, 3.0, 7.5],
    "skewed": [round(np.log2(1 + v**3), 6) for v in lcg(7, 83, 0.0, 6.0)],
    "ties": [0.0] * 10 + [1.0] * 5 + lcg(11, 20, 0.5, 4.0),
    "outliers": lcg(3, 40, 10.0, 12.0) + [30.0, -5.0],
}

cases = []
for name, values in inputs.items():
    x = np.asarray(values, dtype=float)
    q1, med, q3 = np.percentile(x, [25, 50, 75])  # linear interpolation: R type 7
    iqr = q3 - q1
    lo = x[x >= q1 - 1.5 * iqr].min()
    hi = x[x <= q3 + 1.5 * iqr].max()
    bw = float(bw_silverman(x))
    kde = KDEUnivariate(x)
    kde.fit(kernel="gau", bw="silverman", fft=False)
    grid = np.linspace(x.min(), x.max(), 50)
    density = kde.evaluate(grid)
    cases.append({
        "name": name,
        "values": values,
        "box": {"q1": q1, "median": med, "q3": q3, "lo": float(lo), "hi": float(hi)},
        "bandwidth": bw,
        "grid": grid.tolist(),
        "density": density.tolist(),
    })

out = {
    "generator": "tests/reference/plot/make_reference.py",
    "numpy": np.__version__,
    "statsmodels": statsmodels.__version__,
    "cases": cases,
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
