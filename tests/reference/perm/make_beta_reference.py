#!/usr/bin/python3
"""Reference numbers for tests/permutation_stats_test.ts: tensorQTL's beta approximation of the
permutation p-value, run locally on deterministic synthetic permutations, plus scipy's beta CDF/PPF,
Student-t quantile and loggamma on a grid.

Run (Debian's numpy 1.24, scipy 1.10, pandas, torch; a checkout of broadinstitute/tensorqtl, not committed):

    TENSORQTL_DIR=/path/to/tensorqtl /usr/bin/python3 tests/reference/perm/make_beta_reference.py

It writes tests/reference/perm/beta_reference.json. Each case's inputs are recorded in full (r2_perm as
base64 of little-endian float64, each set once), so the test needs nothing but the JSON.

What is called: `core.calculate_beta_approx_pval(r2_perm, r2_nominal, dof)` (as `cis.map_cis` calls it)
and `cis.prepare_cis_output` for `pval_perm`. Two precisions per case: float64 inputs (all arithmetic in
float64) and float32 inputs as `map_cis` hands them over (NumPy 1.x then computes the permutations' t² in
float32). `pandas_plink` (imported by tensorQTL's genotype reader, unused here) is stubbed.
"""
import json
import os
import sys
import types
import hashlib
import base64

import mpmath
import numpy as np
import scipy
import scipy.special
import scipy.stats as stats

tq_dir = os.environ.get("TENSORQTL_DIR")
if not tq_dir:
    sys.exit("set TENSORQTL_DIR to a checkout of broadinstitute/tensorqtl")
sys.modules.setdefault("pandas_plink", types.SimpleNamespace(read_plink=None))
sys.path.insert(0, os.path.join(tq_dir, "tensorqtl"))
import core  # noqa: E402
import cis  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "beta_reference.json")


def git_head(path):
    """The checkout's commit (or TENSORQTL_COMMIT when the checkout is not a git work tree)."""
    try:
        import subprocess
        return subprocess.check_output(["git", "-C", path, "rev-parse", "HEAD"], text=True,
                                       stderr=subprocess.DEVNULL).strip()
    except Exception:
        return os.environ.get("TENSORQTL_COMMIT")


def simulate(seed, nperm, n_var, dof, ld=0.0):
    """Best r² of `nperm` permutations over `n_var` variants, null correlations at `dof`.

    Null r² of one variant ~ Beta(1/2, dof/2). LD is imitated by drawing fewer effective variants.
    """
    rng = np.random.RandomState(seed)
    m_eff = max(1, int(round(n_var * (1 - ld))))
    r2 = rng.beta(0.5, dof / 2.0, size=(nperm, m_eff)).max(axis=1)
    return r2


PERMS = {}


def perm_id(r2):
    """Store each permutation set once, as base64 of little-endian float64."""
    b = np.asarray(r2, dtype="<f8").tobytes()
    key = hashlib.sha256(b).hexdigest()[:12]
    PERMS[key] = base64.b64encode(b).decode()
    return key


PERTURB_RNG = np.random.RandomState(20260802)


def perturbed_t_pval(t, df, log=False):
    """tensorQTL's get_t_pval with each p-value moved by a random relative amount below 3e-14."""
    p = ORIGINAL_T_PVAL(t, df, log)
    return p * (1 + 3e-14 * PERTURB_RNG.uniform(-1, 1, np.shape(p)))


ORIGINAL_T_PVAL = core.get_t_pval


def run_case(name, r2_perm64, r_nominal64, dof, dof_init=None, record_pvals=False):
    """One phenotype: the best r² of each permutation and the nominal top r (its square is r2_nominal).

    With record_pvals, also tensorQTL's permutation p-values at true_df (`fit_beta_parameters(...,
    return_minp=True)`), so the beta fit can be checked on exactly scipy's p-values.
    """
    out = {"name": name, "dof": dof, "dof_init": dof_init if dof_init is not None else dof,
           "r_nominal": float(r_nominal64), "perms": perm_id(r2_perm64)}
    di = dof_init if dof_init is not None else dof
    for label, r2p, r_nom in (
        ("float64", np.asarray(r2_perm64, dtype=np.float64), np.float64(r_nominal64)),
        ("float32", np.asarray(r2_perm64, dtype=np.float32), np.array(r_nominal64, dtype=np.float32)),
    ):
        r2n = r_nom * r_nom
        # Which true_df branch ran: newton unless it raised.
        try:
            scipy.optimize.newton(
                lambda x: np.log(core.beta_shape_1_from_dof(r2p, np.exp(x))), np.log(di), tol=1e-4, maxiter=50)
            method = "newton"
        except Exception:
            method = "nelder-mead"
        with np.errstate(all="ignore"):
            pval_beta, s1, s2, true_df, pval_true_df = core.calculate_beta_approx_pval(r2p, r2n, di)
            res_s = cis.prepare_cis_output(r_nom, r2p, np.float32(1.0), np.zeros(4), 10, dof, "v",
                                           0, 0, name, nperm=len(r2p))
        out[label] = {
            "r2_nominal": float(r2n), "pval_beta": float(pval_beta), "beta_shape1": float(s1), "beta_shape2": float(s2),
            "true_df": float(true_df), "pval_true_df": float(pval_true_df),
            "pval_perm": float(res_s["pval_perm"]), "method": method,
        }
        if record_pvals:
            with np.errstate(all="ignore"):
                f1, f2, _, pval = core.fit_beta_parameters(r2p, di, return_minp=True)
            out[label]["pvals_at_true_df"] = perm_id(pval)
            assert (f1, f2) == (s1, s2)
    # tensorQTL against itself: the same case with its t CDF moved by < 3e-14 relative (float64 inputs).
    core.get_t_pval = perturbed_t_pval
    try:
        with np.errstate(all="ignore"):
            pb, p1, p2, pdf, ptd = core.calculate_beta_approx_pval(
                np.asarray(r2_perm64, dtype=np.float64), np.float64(r_nominal64) ** 2, di)
    finally:
        core.get_t_pval = ORIGINAL_T_PVAL
    out["float64_perturbed"] = {"pval_beta": float(pb), "beta_shape1": float(p1), "beta_shape2": float(p2),
                                "true_df": float(pdf), "pval_true_df": float(ptd)}
    return out


def clean(obj):
    """NaN → null (JSON has no NaN); the test reads null as NaN."""
    if isinstance(obj, float) and obj != obj:
        return None
    if isinstance(obj, dict):
        return {k: clean(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [clean(v) for v in obj]
    return obj


def main():
    cases = []
    # A grid of realistic permutation passes: dof (samples − 2 − covariates), variants, permutations.
    seed = 20260801
    for dof in (20, 60, 150, 400, 800):
        for n_var in (1, 8, 80, 1500):
            for nperm in (100, 1000):
                if nperm == 1000 and n_var in (1, 80):
                    continue  # keeps the JSON small
                seed += 1
                r2 = simulate(seed, nperm, n_var, dof, ld=0.5 if n_var > 50 else 0.0)
                # Nominal r²: a null-like value (a permutation quantile), and a strong one.
                q = np.quantile(r2, [0.5, 0.99])
                for k, r2n in enumerate([q[0], q[1], min(0.95, q[1] * 3 + 0.05)]):
                    cases.append(run_case(f"dof{dof}_var{n_var}_perm{nperm}_{k}", r2, np.sqrt(r2n), dof,
                                          record_pvals=(k == 1 and (n_var, nperm) in ((8, 100), (1500, 1000)))))
    # 10,000 permutations (tensorQTL's default) for two sizes.
    for dof, n_var in ((370, 3000),):
        seed += 1
        r2 = simulate(seed, 10000, n_var, dof, ld=0.6)
        cases.append(run_case(f"dof{dof}_var{n_var}_perm10000", r2, np.sqrt(np.quantile(r2, 0.999) * 1.5), dof))
    # Grouped phenotypes start the true_df search at dof/4.
    seed += 1
    r2 = simulate(seed, 1000, 200, 120, ld=0.5)
    cases.append(run_case("grouped_dof120", r2, np.sqrt(0.3), 120, dof_init=120 * 0.25))
    # r² = 0 and r² = 1 among the permutations; a nominal r² of exactly 0 and of 1.
    seed += 1
    r2 = simulate(seed, 500, 20, 40)
    cases.append(run_case("nominal_r_one", r2, 1.0, 40))
    cases.append(run_case("nominal_r_zero", r2, 0.0, 40))
    cases.append(run_case("nominal_r_negative", r2, -0.6, 40))
    # Few permutations with ties.
    cases.append(run_case("ties", np.array([0.1, 0.1, 0.2, 0.2, 0.3, 0.05, 0.05, 0.4]), np.sqrt(0.2), 30))
    # Sets on which the secant fails (scipy raises) and tensorQTL falls back to Nelder–Mead:
    # "tolerance reached" (equal function values), 50 iterations, and NaN everywhere (all r² = 0).
    # (Not recorded: r² of 0.999/0.9999 at dof 3, where ln shape1 is ~1e-15 and the secant's fate is
    # decided by last-bit rounding of p-values near 1e-50 — no two t CDFs agree on it.)
    cases.append(run_case("fallback_single_big", np.r_[np.zeros(99), 0.9], 0.5, 30))
    cases.append(run_case("fallback_tiny", np.array([1e-6, 2e-6, 3e-6]), 0.5, 30))
    cases.append(run_case("fallback_all_zero", np.zeros(50), 0.5, 30))
    rng = np.random.RandomState(7)
    bimodal = np.concatenate([rng.uniform(0.0, 1e-4, 300), rng.uniform(0.6, 0.9, 300)])
    cases.append(run_case("bimodal", bimodal, 0.8, 30))

    # scipy's beta distribution, t quantile and loggamma on a grid.
    grid = []
    for a in (0.5, 0.9, 1.0, 1.05, 1.3, 2.0, 7.5, 40.0):
        for b in (1.0, 3.0, 50.0, 400.0, 2500.0, 12000.0):
            for p in (1e-300, 1e-100, 1e-30, 1e-12, 1e-6, 1e-3, 0.01, 0.05, 0.3, 0.5, 0.8, 0.99, 1 - 1e-9):
                x = stats.beta.ppf(p, a, b)
                grid.append({"a": a, "b": b, "p": p, "ppf": float(x),
                             "cdf_at_ppf": float(stats.beta.cdf(x, a, b)) if x > 0 else 0.0})
    cdf = []
    for a in (0.5, 1.0, 1.05, 3.0, 25.0):
        for b in (2.0, 200.0, 5000.0):
            for x in (1e-250, 1e-40, 1e-9, 1e-5, 1e-3, 0.02, 0.2, 0.5, 0.9, 0.999):
                cdf.append({"a": a, "b": b, "x": x, "cdf": float(stats.beta.cdf(x, a, b)),
                            "sf": float(stats.beta.sf(x, a, b))})
    # Student-t quantiles: scipy's (cdflib's root finder, ~1e-11) and mpmath's at 40 digits (the truth).
    mpmath.mp.dps = 40

    def t_ppf_mp(p, df):
        if p == 0.5:
            return 0.0
        tail = mpmath.mpf(min(p, 1 - p))
        a, b = mpmath.mpf(df) / 2, mpmath.mpf(1) / 2
        t0 = abs(float(stats.t.ppf(float(tail), df)))
        # two-sided tail 2·tail = I_x(df/2, 1/2) at x = df/(df + t²), solved in t
        f = lambda t: mpmath.betainc(a, b, 0, df / (df + t * t), regularized=True) - 2 * tail
        t = mpmath.findroot(f, mpmath.mpf(t0))
        return float(t if p > 0.5 else -t)

    tq = [{"p": p, "df": df, "t_scipy": float(stats.t.ppf(p, df)), "t": t_ppf_mp(p, df)}
          for df in (1, 2, 3.5, 10, 57, 400, 1e5) for p in (1e-12, 0.001, 0.025, 0.3, 0.5, 0.6, 0.975, 0.999999)]
    lg_x = sorted(set([1e-300, 1e-10, 0.001, 0.1, 0.5, 0.999, 1.0, 1.5, 2.0, 2.5, 2.9999, 3.0, 7.3, 12.99, 13.0,
                       13.01, 99.5, 999.9, 1000.0, 1000.1, 54321.7, 2e8, 1e300]
                      + list(np.random.RandomState(11).uniform(0.01, 30, 300))
                      + list(np.random.RandomState(12).uniform(30, 5000, 100))))
    lgamma = [{"x": repr(float(x)), "loggamma": repr(float(scipy.special.loggamma(x)))} for x in lg_x]

    ref = {
        "generator": "tests/reference/perm/make_beta_reference.py",
        "tensorqtl_commit": git_head(tq_dir),
        "numpy": np.__version__, "scipy": scipy.__version__,
        "cases": cases, "perms": PERMS, "beta_ppf": grid, "beta_cdf": cdf, "t_ppf": tq, "loggamma": lgamma,
    }
    text = json.dumps(clean(ref), indent=None, separators=(",", ":"), allow_nan=False)
    with open(OUT, "w") as f:
        f.write(text + "\n")
    print(f"wrote {OUT}: {len(cases)} cases, sha256 {hashlib.sha256(text.encode()).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
