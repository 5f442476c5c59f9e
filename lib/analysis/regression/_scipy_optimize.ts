/**
 * Internal: the two optimisers tensorQTL's beta approximation calls, as scipy 1.10 runs them —
 * `scipy.optimize.minimize(method="Nelder-Mead")` (`_minimize_neldermead`, adaptive=False) and
 * `scipy.optimize.newton` without a derivative (the secant method). Same initial simplex, same
 * reflection/expansion/contraction/shrink coefficients and order of comparisons, same stopping rules
 * (xatol, fatol, maxiter = maxfev = 200·N), the same NaN ordering as `np.argsort`, the same
 * non-convergence outcomes: so the same function values give the same iterates.
 *
 * Why by hand: the result must be scipy's result, not merely a minimum. A different optimiser (or
 * scipy's own with other defaults) stops elsewhere inside the 1e-4 tolerance and moves tensorQTL's
 * beta shapes by up to ~1e-4 relative.
 *
 * @module
 */

/** What {@linkcode nelderMead} found. */
export interface NelderMeadResult {
  /** The best vertex. */
  x: number[];
  /** Its function value (the minimum over the final simplex). */
  fun: number;
  /** Iterations (scipy's `nit`). */
  nit: number;
  /** Function evaluations (scipy's `nfev`). */
  nfev: number;
  /** scipy's `status`: 0 converged, 1 maximum evaluations, 2 maximum iterations. */
  status: 0 | 1 | 2;
}

/** Options of {@linkcode nelderMead}: scipy's names and defaults. */
export interface NelderMeadOptions {
  /** Absolute tolerance on the vertices (default 1e-4; `minimize(tol=t)` sets both to t). */
  xatol?: number;
  /** Absolute tolerance on the function values (default 1e-4). */
  fatol?: number;
  /** Maximum iterations (default 200·N). */
  maxiter?: number;
  /** Maximum function evaluations (default 200·N). */
  maxfev?: number;
}

class MaxFunctionCalls extends Error {}

/** numpy's float ordering for sorting: NaN after every number. */
function lessThan(a: number, b: number): boolean {
  return a < b || (b !== b && a === a);
}

/** `np.argsort` of a short array (numpy's insertion sort below 16 elements: stable, NaN last). */
function argsort(v: readonly number[]): number[] {
  const idx = v.map((_, i) => i);
  for (let i = 1; i < idx.length; i++) {
    const cur = idx[i];
    let j = i;
    while (j > 0 && lessThan(v[cur], v[idx[j - 1]])) {
      idx[j] = idx[j - 1];
      j--;
    }
    idx[j] = cur;
  }
  return idx;
}

/**
 * Nelder–Mead as `scipy.optimize.minimize(fun, x0, method="Nelder-Mead")` (scipy 1.10, no bounds,
 * adaptive=False, no initial simplex): vertex k+1 is x0 with coordinate k scaled by 1.05 (0.00025 when 0).
 */
export function nelderMead(
  fun: (x: readonly number[]) => number,
  x0: readonly number[],
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const n = x0.length;
  const xatol = options.xatol ?? 1e-4;
  const fatol = options.fatol ?? 1e-4;
  let maxiter = options.maxiter;
  let maxfun = options.maxfev;
  if (maxiter === undefined && maxfun === undefined) {
    maxiter = n * 200;
    maxfun = n * 200;
  } else if (maxiter === undefined) {
    maxiter = maxfun === Infinity ? n * 200 : Infinity;
  } else if (maxfun === undefined) {
    maxfun = maxiter === Infinity ? n * 200 : Infinity;
  }
  const maxIterations = maxiter as number;
  const maxCalls = maxfun as number;
  const rho = 1, chi = 2, psi = 0.5, sigma = 0.5;
  const nonzdelt = 0.05, zdelt = 0.00025;

  let sim: number[][] = [x0.slice()];
  for (let k = 0; k < n; k++) {
    const y = x0.slice();
    y[k] = y[k] !== 0 ? (1 + nonzdelt) * y[k] : zdelt;
    sim.push(y);
  }
  let fsim: number[] = new Array(n + 1).fill(Infinity);
  let fcalls = 0;
  const f = (x: number[]): number => {
    if (fcalls >= maxCalls) throw new MaxFunctionCalls();
    fcalls++;
    return fun(x.slice());
  };
  const sortSimplex = () => {
    const ind = argsort(fsim);
    sim = ind.map((i) => sim[i]);
    fsim = ind.map((i) => fsim[i]);
  };

  try {
    for (let k = 0; k <= n; k++) fsim[k] = f(sim[k]);
  } catch (e) {
    if (!(e instanceof MaxFunctionCalls)) throw e;
  } finally {
    sortSimplex();
  }
  sortSimplex();

  let iterations = 1;
  const combine = (ca: number, a: number[], cb: number, b: number[]) => a.map((ai, i) => ca * ai - cb * b[i]);
  while (fcalls < maxCalls && iterations < maxIterations) {
    try {
      let xSpread = 0;
      let fSpread = 0;
      for (let j = 1; j <= n; j++) {
        for (let i = 0; i < n; i++) xSpread = nanMax(xSpread, Math.abs(sim[j][i] - sim[0][i]), j === 1 && i === 0);
        fSpread = nanMax(fSpread, Math.abs(fsim[0] - fsim[j]), j === 1);
      }
      if (xSpread <= xatol && fSpread <= fatol) break;

      const xbar = new Array<number>(n).fill(0);
      for (let i = 0; i < n; i++) {
        let s = sim[0][i];
        for (let j = 1; j < n; j++) s += sim[j][i];
        xbar[i] = s / n;
      }
      const last = sim[n];
      const xr = combine(1 + rho, xbar, rho, last);
      const fxr = f(xr);
      let doshrink = false;
      if (fxr < fsim[0]) {
        const xe = combine(1 + rho * chi, xbar, rho * chi, last);
        const fxe = f(xe);
        if (fxe < fxr) {
          sim[n] = xe;
          fsim[n] = fxe;
        } else {
          sim[n] = xr;
          fsim[n] = fxr;
        }
      } else if (fxr < fsim[n - 1]) {
        sim[n] = xr;
        fsim[n] = fxr;
      } else if (fxr < fsim[n]) {
        // Outside contraction.
        const xc = combine(1 + psi * rho, xbar, psi * rho, last);
        const fxc = f(xc);
        if (fxc <= fxr) {
          sim[n] = xc;
          fsim[n] = fxc;
        } else doshrink = true;
      } else {
        // Inside contraction: (1 − ψ)·x̄ + ψ·x_last.
        const xcc = xbar.map((xb, i) => (1 - psi) * xb + psi * last[i]);
        const fxcc = f(xcc);
        if (fxcc < fsim[n]) {
          sim[n] = xcc;
          fsim[n] = fxcc;
        } else doshrink = true;
      }
      if (doshrink) {
        for (let j = 1; j <= n; j++) {
          sim[j] = sim[j].map((v, i) => sim[0][i] + sigma * (v - sim[0][i]));
          fsim[j] = f(sim[j]);
        }
      }
      iterations++;
    } catch (e) {
      if (!(e instanceof MaxFunctionCalls)) throw e;
    } finally {
      sortSimplex();
    }
  }
  let fval = fsim[0];
  for (const v of fsim) fval = nanMin(fval, v);
  const status = fcalls >= maxCalls ? 1 : iterations >= maxIterations ? 2 : 0;
  return { x: sim[0].slice(), fun: fval, nit: iterations, nfev: fcalls, status };
}

/** `np.max` over a running value: NaN anywhere makes the result NaN. */
function nanMax(acc: number, v: number, first: boolean): number {
  if (first) return v;
  if (Number.isNaN(acc) || Number.isNaN(v)) return NaN;
  return v > acc ? v : acc;
}

function nanMin(acc: number, v: number): number {
  if (Number.isNaN(acc) || Number.isNaN(v)) return NaN;
  return v < acc ? v : acc;
}

/** What {@linkcode secant} found. */
export interface SecantResult {
  /** The root (when converged), else the last iterate. */
  root: number;
  /** Whether scipy would have returned it (false: scipy raises RuntimeError, as with `disp=True`). */
  converged: boolean;
  /** Function evaluations. */
  funcalls: number;
  /** Why it failed, when it did. */
  failure?: string;
}

/**
 * `scipy.optimize.newton(func, x0, tol=tol, maxiter=maxiter)` without `fprime` (scipy 1.10's secant
 * branch, rtol = 0, disp = True): second point x0·(1 + 1e-4) ± 1e-4, stop when |p − p1| ≤ tol.
 */
export function secant(func: (x: number) => number, x0: number, tol: number, maxiter: number): SecantResult {
  let p0 = 1.0 * x0;
  const eps = 1e-4;
  let p1 = x0 * (1 + eps);
  p1 += p1 >= 0 ? eps : -eps;
  let q0 = func(p0);
  let q1 = func(p1);
  let funcalls = 2;
  if (Math.abs(q1) < Math.abs(q0)) {
    [p0, p1, q0, q1] = [p1, p0, q1, q0];
  }
  let p = NaN;
  for (let itr = 0; itr < maxiter; itr++) {
    if (q1 === q0) {
      if (p1 !== p0) {
        return { root: p1, converged: false, funcalls, failure: `Tolerance of ${p1 - p0} reached` };
      }
      return { root: (p1 + p0) / 2, converged: true, funcalls };
    }
    if (Math.abs(q1) > Math.abs(q0)) p = (-q0 / q1 * p1 + p0) / (1 - q0 / q1);
    else p = (-q1 / q0 * p0 + p1) / (1 - q1 / q0);
    // np.isclose(p, p1, rtol=0, atol=tol): finite values within tol; infinities only when equal.
    const close = Number.isFinite(p) && Number.isFinite(p1) ? Math.abs(p - p1) <= tol : p === p1;
    if (close) return { root: p, converged: true, funcalls };
    p0 = p1;
    q0 = q1;
    p1 = p;
    q1 = func(p1);
    funcalls++;
  }
  return { root: p, converged: false, funcalls, failure: `Failed to converge after ${maxiter} iterations` };
}
