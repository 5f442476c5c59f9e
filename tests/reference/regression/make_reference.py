#!/usr/bin/env python3
"""Reference values for lib/analysis/{distributions,transforms,regression}.ts.

Run from the repo root:  /usr/bin/python3 tests/reference/regression/make_reference.py
Writes tests/reference/regression/reference.json (inputs AND expected outputs; the Deno tests read
only that file, so CI needs neither Python nor R).

Sources of truth:
- Student-t two-sided p-values: mpmath at 60 digits, p = I_x(df/2, 1/2) with x = df/(df+t^2), via
  x^a 2F1(a, 1/2; a+1; x) / (a B(a, 1/2)) (falling back to 1 - I_y(1/2, a) at 600 digits); scipy's
  2*t.sf and R's 2*pt(lower.tail=FALSE) are recorded beside it and checked to agree (1e-12 relative).
- Inverse normal: mpmath root of ln Phi(z) = ln p; scipy.special.ndtri recorded beside it.
- Int transform: scipy.stats.rankdata (average ties) then ndtri(rank/(n+1)).
- Regressions: the analysed samples are transformed with numpy/scipy (log2(TPM+1); rankdata + ndtri),
  then y ~ 1 + dosage is solved in 60-digit mpmath arithmetic from the exact double inputs (the truth the
  tests compare with), and statsmodels OLS and R's lm() (when Rscript exists) on the same numbers are
  recorded beside it and checked to agree with it to 1e-9 relative: both solve via a factorisation of
  the design matrix, whose conditioning (a large mean TPM) costs them digits the closed form keeps.
Versions used are written into the JSON.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import mpmath
import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import special, stats

mpmath.mp.dps = 60
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
RSCRIPT = shutil.which("Rscript")


def two_sided_p(t, df):
    """Return (p as mpf, log10 p as float) or None when mpmath cannot do it cheaply."""
    df_m, t_m = mpmath.mpf(df), mpmath.mpf(t)
    if t == 0:
        return mpmath.mpf(1)
    x = df_m / (df_m + t_m ** 2)
    y = t_m ** 2 / (df_m + t_m ** 2)
    a, b = df_m / 2, mpmath.mpf(1) / 2
    try:
        return mpmath.power(x, a) * mpmath.hyp2f1(a, 1 - b, a + 1, x) / (a * mpmath.beta(a, b))
    except ValueError:
        with mpmath.workdps(600):
            r = 1 - mpmath.betainc(b, a, 0, y, regularized=True)
        return r if r > mpmath.mpf(10) ** -550 else None


def r_pt_two_sided(pairs):
    """2*pt(|t|, df, lower.tail=FALSE) and its log10 from R, or None without Rscript."""
    if RSCRIPT is None:
        return None
    ts = ",".join(repr(float(t)) for t, _ in pairs)
    dfs = ",".join(repr(float(d)) for _, d in pairs)
    code = (f"t <- c({ts}); df <- c({dfs}); "
            "p <- 2*pt(abs(t), df, lower.tail=FALSE); "
            "lp <- (log(2) + pt(abs(t), df, lower.tail=FALSE, log.p=TRUE))/log(10); "
            "cat(sprintf('%.17g %.17g', p, lp), sep='\\n')")
    out = subprocess.run([RSCRIPT, "-e", code], capture_output=True, text=True, check=True).stdout
    return [tuple(float(v) for v in line.split()) for line in out.strip().splitlines()]


def t_cases():
    grid_df = [1, 2, 3, 4, 5, 7, 10, 30, 76, 100, 250, 500, 1000, 10000]
    grid_t = [0, 1e-8, 0.01, 0.1, 0.5, 1, 1.5, 1.7, 1.96, 2.5, 3, 5, 10, 20, 40, 80, 100, 1e3, 1e5, 1e10]
    pairs = [(t, df) for df in grid_df for t in grid_t]
    pairs += [(40, 498), (40, 500), (55, 500), (60, 500), (75, 500), (84, 500), (86, 500), (90, 500), (-3.5, 12), (-40, 500), (6.5, 2.5)]
    r_vals = r_pt_two_sided(pairs)
    cases = []
    for k, (t, df) in enumerate(pairs):
        p = two_sided_p(abs(t), df)
        if p is None:
            continue
        case = {
            "t": t,
            "df": df,
            "p": float(p),
            "log10p": float(mpmath.log10(p)),
            "sf": float(p / 2 if t > 0 else 1 - p / 2),
            "scipyP": float(2 * stats.t.sf(abs(t), df)),
        }
        if r_vals is not None:
            case["rP"], case["rLog10p"] = r_vals[k]
        for name in ("scipyP", "rP"):
            if name in case and case["p"] > 1e-300:
                rel = abs(case[name] - case["p"]) / case["p"]
                assert rel < 1e-12, (name, t, df, case[name], case["p"], rel)
        cases.append(case)
    return cases


def normal_quantile_cases():
    ps = [1e-310, 1e-300, 1e-200, 1e-100, 1e-50, 1e-20, 1e-16, 1e-10, 1.3e-11, 1e-5, 1e-3, 0.01, 0.02425,
          0.025, 0.074, 0.075, 0.076, 0.1, 0.2, 0.3, 0.4, 0.4999, 0.5, 0.5001, 0.6, 0.7, 0.8, 0.9, 0.924,
          0.925, 0.926, 0.975, 0.99, 0.999, 1 - 1e-10, 1 - 2 ** -52, 1 - 2 ** -53]
    cases = []
    for p in ps:
        pm = mpmath.mpf(p)
        z0 = mpmath.mpf(float(special.ndtri(p)))
        if p < 0.5:
            z = mpmath.findroot(lambda z: mpmath.log(mpmath.ncdf(z)) - mpmath.log(pm), z0)
        elif p > 0.5:
            z = mpmath.findroot(lambda z: mpmath.log(mpmath.ncdf(-z)) - mpmath.log(1 - pm), z0)
        else:
            z = mpmath.mpf(0)
        cases.append({"p": p, "z": float(z), "scipyZ": float(special.ndtri(p))})
    return cases


def int_transform(v):
    v = np.asarray(v, dtype=float)
    return special.ndtri(stats.rankdata(v, method="average") / (len(v) + 1))


def transform(v, name):
    v = np.asarray(v, dtype=float)
    if name == "none":
        return v
    if name == "log2":
        return np.log2(v + 1)
    return int_transform(v)


def int_cases(rng):
    inputs = [
        [10, 30, 20, 20],
        [5.0, 1.0, 3.0],
        [0, 0, 0, 1.5, 2.5, 0, 7, 7, 7, 7, 0.1],
        list(np.round(rng.lognormal(2, 1, 57), 3)),
        list(np.round(rng.lognormal(1, 1, 400), 1)),  # many ties from rounding
        [42.0],
        [3.0, 3.0],
    ]
    return [{"values": [float(x) for x in v], "expected": [float(z) for z in int_transform(v)]} for v in inputs]


def r_lm(x, y):
    if RSCRIPT is None:
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write("x,y\n")
        for a, b in zip(x, y):
            f.write(f"{a!r},{b!r}\n")
        path = f.name
    code = (f"d <- read.csv('{path}'); s <- summary(lm(y ~ x, data=d))$coefficients; "
            "cat(sprintf('%.17g', c(s[2,1], s[2,2], s[2,3], s[2,4], s[1,1])), sep='\\n')")
    out = subprocess.run([RSCRIPT, "-e", code], capture_output=True, text=True, check=True).stdout
    os.unlink(path)
    return [float(v) for v in out.split()]


def exact_ols(x, y):
    """Simple regression in 60-digit arithmetic from the exact double inputs."""
    n = len(x)
    xs = [mpmath.mpf(float(v)) for v in x]
    ys = [mpmath.mpf(float(v)) for v in y]
    mx, my = mpmath.fsum(xs) / n, mpmath.fsum(ys) / n
    sxx = mpmath.fsum((a - mx) ** 2 for a in xs)
    sxy = mpmath.fsum((a - mx) * (b - my) for a, b in zip(xs, ys))
    syy = mpmath.fsum((b - my) ** 2 for b in ys)
    slope = sxy / sxx
    sse = syy - slope * sxy
    se = mpmath.sqrt(sse / (n - 2) / sxx)
    t = slope / se
    return {"nes": slope, "error": se, "tStatistic": t, "pValue": two_sided_p(abs(t), n - 2),
            "intercept": my - slope * mx, "r2": slope * sxy / syy}


def regression_case(name, tpm, genotypes, transform_name):
    keep = [i for i, g in enumerate(genotypes) if g is not None]
    x = np.array([genotypes[i] for i in keep], dtype=float)
    y = transform([tpm[i] for i in keep], transform_name)
    fit = sm.OLS(y, sm.add_constant(x, has_constant="add")).fit()
    exact = exact_ols(x, y)
    expected = {
        "n": len(y),
        **{k: float(v) for k, v in exact.items()},
        "statsmodels": {"nes": float(fit.params[1]), "error": float(fit.bse[1]), "tStatistic": float(fit.tvalues[1]),
                        "pValue": float(fit.pvalues[1]), "intercept": float(fit.params[0]),
                        "r2": float(fit.rsquared)},
        "counts": [int(np.sum(x == d)) for d in (0, 1, 2)],
        "means": [float(np.mean(y[x == d])) if np.any(x == d) else None for d in (0, 1, 2)],
        "medians": [float(np.median(y[x == d])) if np.any(x == d) else None for d in (0, 1, 2)],
    }
    for key, got in expected["statsmodels"].items():
        want = expected[key]
        assert abs(got - want) <= 1e-9 * abs(want) or (key == "pValue" and want < 1e-290), \
            (name, "statsmodels", key, got, want)
    r = r_lm(x, y)
    if r is not None:
        expected["rLm"] = dict(zip(("nes", "error", "tStatistic", "pValue", "intercept"), r))
        for key, got in expected["rLm"].items():
            want = expected[key]
            assert abs(got - want) <= 1e-9 * abs(want) or (key == "pValue" and want < 1e-290), \
                (name, "R", key, got, want)
    return {"name": name, "transform": transform_name, "data": [float(v) for v in tpm],
            "genotypes": genotypes, "expected": expected}


def simulate(rng, counts, effect, base=20.0, sd=0.6, missing=0, decimals=6):
    g = np.concatenate([np.full(c, d) for d, c in enumerate(counts)])
    rng.shuffle(g)
    log_tpm = np.log(base) + effect * g + rng.normal(0, sd, len(g))
    tpm = [float(f"{v:.{decimals}g}") for v in np.exp(log_tpm)]  # 6 significant digits, as the API
    genotypes = [int(v) for v in g]
    for i in rng.choice(len(g), missing, replace=False) if missing else []:
        genotypes[int(i)] = None
    return tpm, genotypes


def regression_cases(rng):
    cases = []
    # Shaped like the API page's example (Cd300lf / IL: 27 hom-ref, 35 het, 16 hom-alt).
    tpm, gt = simulate(rng, (27, 35, 16), 0.35)
    for tr in ("none", "log2", "int"):
        cases.append(regression_case("il_like", tpm, gt, tr))
    # Missing calls: dropped before the transform.
    tpm, gt = simulate(rng, (40, 30, 20), 0.2, missing=9)
    for tr in ("none", "log2", "int"):
        cases.append(regression_case("missing_calls", tpm, gt, tr))
    # Null effect, larger tissue.
    tpm, gt = simulate(rng, (200, 160, 51), 0.0, base=3.0, sd=1.0)
    for tr in ("none", "log2", "int"):
        cases.append(regression_case("null_effect", tpm, gt, tr))
    # Far tail: df = 500, t around 40.
    g = np.array([0] * 170 + [1] * 170 + [2] * 162)
    y = 50 + 11.0 * g + rng.normal(0, 5.0, len(g))
    cases.append(regression_case("far_tail", [float(v) for v in y], [int(v) for v in g], "none"))
    # Large mean, small spread (cancellation check for sums).
    g = rng.integers(0, 3, 120)
    y = 1e5 + 0.5 * g + rng.normal(0, 1.0, 120)
    cases.append(regression_case("large_mean", [float(v) for v in y], [int(v) for v in g], "none"))
    # Small df = 1, 2, 3.
    cases.append(regression_case("df1", [2.0, 3.5, 7.25], [0, 1, 2], "none"))
    cases.append(regression_case("df2", [1.0, 4.0, 2.5, 9.0], [0, 1, 1, 2], "none"))
    cases.append(regression_case("df3", [0.5, 0.0, 3.25, 2.0, 6.5, 1.0], [0, 0, 1, 2, 2, None], "none"))
    # Many zeros and ties (a low-expressed gene) on the int transform.
    tpm, gt = simulate(rng, (30, 30, 20), 0.5, base=0.3, sd=1.5)
    tpm = [0.0 if v < 0.3 else round(v, 1) for v in tpm]
    cases.append(regression_case("ties_zeros", tpm, gt, "int"))
    cases.append(regression_case("ties_zeros", tpm, gt, "log2"))
    return cases


def main():
    rng = np.random.default_rng(20260511)
    ref = {
        "generator": "tests/reference/regression/make_reference.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
                     "statsmodels": statsmodels.__version__, "mpmath": mpmath.__version__,
                     "R": subprocess.run([RSCRIPT, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
                     if RSCRIPT else None},
        "tDistribution": t_cases(),
        "normalQuantile": normal_quantile_cases(),
        "intTransform": int_cases(rng),
        "regression": regression_cases(rng),
    }
    with open(OUT, "w") as f:
        json.dump(ref, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {OUT}: {len(ref['tDistribution'])} t cases, {len(ref['normalQuantile'])} quantiles, "
          f"{len(ref['intTransform'])} int inputs, {len(ref['regression'])} regressions")


if __name__ == "__main__":
    main()
