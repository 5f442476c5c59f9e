/**
 * Posterior inclusion probabilities and credible sets of a SuSiE fit, as susieR 0.12's `susie_get_pip`
 * and `susie_get_cs` compute them (coverage, de-duplication, purity by min/mean/median |r|, ordering by
 * purity).
 *
 * @module
 */
import type { SusieCredibleSet } from "./susie_types.ts";

/**
 * Correlations between variables, for purity. `prepare(members)` readies a set's variables (e.g.
 * standardises their genotype columns once) and gives |r| between members by their positions in
 * `members`, or `null` when some member does not vary (its correlations are undefined, as R's `cor`
 * gives NA).
 */
export interface CorrelationSource {
  /** Ready the members; |r| by positions, or `null` when a member does not vary. */
  prepare(members: readonly number[]): ((a: number, b: number) => number) | null;
}

/**
 * PIPs: `1 − Π_l (1 − alpha_lj)` over the effects whose prior variance exceeds `priorTol`; all 0 when
 * none does. susieR's null column (index `nullIndex`) is dropped.
 */
export function pipOf(
  alpha: readonly Float64Array[],
  V: Float64Array,
  priorTol: number,
  p: number,
): Float64Array {
  const keep = new Float64Array(p).fill(1);
  let any = false;
  for (let l = 0; l < alpha.length; l++) {
    if (!(V[l] > priorTol)) continue;
    any = true;
    const row = alpha[l];
    for (let j = 0; j < p; j++) keep[j] *= 1 - row[j];
  }
  const pip = new Float64Array(p);
  if (!any) return pip;
  for (let j = 0; j < p; j++) pip[j] = 1 - keep[j];
  return pip;
}

/**
 * The variables of one effect's credible set: the fewest, by decreasing alpha (ties in index order, as
 * R's stable `order(decreasing = TRUE)`), whose cumulative alpha reaches `coverage` (susieR's `in_CS_x`:
 * the count of partial sums below `coverage`, plus one). Returned in increasing index order.
 */
export function credibleSetOf(alpha: Float64Array, coverage: number): number[] {
  const p = alpha.length;
  // Only variables with alpha ≥ (1 − coverage)/(2p) can be in the set when those carry ≥ coverage
  // (the rest add up to less than (1 − coverage)/2): sort those only, else everything.
  const floor = (1 - coverage) / (2 * p);
  let order: number[] = [];
  let carried = 0;
  for (let j = 0; j < p; j++) {
    if (alpha[j] >= floor) {
      order.push(j);
      carried += alpha[j];
    }
  }
  if (!(carried >= coverage)) order = Array.from({ length: p }, (_, j) => j);
  order.sort((a, b) => alpha[b] - alpha[a] || a - b);
  let count = 0;
  let cum = 0;
  for (let k = 0; k < order.length; k++) {
    cum += alpha[order[k]];
    if (cum < coverage) count++;
    else break;
  }
  const size = Math.min(count + 1, order.length);
  return order.slice(0, size).sort((a, b) => a - b);
}

/** Options of {@link credibleSets}. */
export interface CredibleSetOptions {
  /** Requested coverage (susieR's `coverage`, 0.95). */
  coverage: number;
  /** Purity threshold on min |r| (susieR's `min_abs_corr`, 0.5). */
  minAbsCorr: number;
  /** Sets larger than this have their purity estimated on a subsample of this many variables. */
  nPurity: number;
  /** susieR's null column, or −1. */
  nullIndex: number;
  /** Correlations between variables. */
  correlation: CorrelationSource;
}

/** The credible sets and notes on any set that was dropped for a reason the user should hear of. */
export interface CredibleSetsOutcome {
  /** The pure sets, ordered by decreasing min |r|. */
  sets: SusieCredibleSet[];
  /** Notes (e.g. a set dropped because a member does not vary, so its purity is undefined). */
  notes: string[];
}

/** Indices of a subsample of `k` of `members`, evenly spread over them (deterministic). */
function evenSubsample(members: readonly number[], k: number): number[] {
  const out: number[] = [];
  const m = members.length;
  for (let i = 0; i < k; i++) out.push(members[Math.floor((i * m) / k)]);
  return out;
}

/**
 * min, mean and median |r| over the pairs of `members` (R: `upper.tri` of `cor(X[, pos])`); NaN when a
 * member does not vary; `null` as soon as a pair falls below `threshold` (the set is dropped, its
 * purity never reported).
 */
function purityOf(
  members: readonly number[],
  source: CorrelationSource,
  threshold: number,
): [number, number, number] | null {
  if (members.length === 1) return [1, 1, 1];
  const abs = source.prepare(members);
  if (abs === null) return [NaN, NaN, NaN];
  const values: number[] = [];
  let min = Infinity, sum = 0;
  // Every pair, farthest apart first: a diffuse set usually fails on one of those, and is dropped at once.
  for (let b = members.length - 1; b >= 1; b--) {
    for (let a = 0; a < b; a++) {
      const v = abs(a, b);
      if (!(v >= threshold)) return null;
      values.push(v);
      if (v < min) min = v;
      sum += v;
    }
  }
  values.sort((x, y) => x - y);
  const h = values.length >> 1;
  const median = values.length % 2 === 1 ? values[h] : (values[h - 1] + values[h]) / 2;
  return [min, sum / values.length, median];
}

/**
 * susieR's `susie_get_cs`: one candidate set per effect with `V > 1e-9`, identical sets kept once (the
 * first), purity over the set (a subsample of `nPurity` variables when larger: susieR draws it at random;
 * here it is an even, deterministic spread), sets with min |r| < `minAbsCorr` dropped, the rest ordered
 * by decreasing min |r| (ties in effect order).
 */
export function credibleSets(
  alpha: readonly Float64Array[],
  V: Float64Array,
  options: CredibleSetOptions,
): CredibleSetsOutcome {
  const notes: string[] = [];
  const candidates: { effect: number; variants: number[]; coverage: number }[] = [];
  const seen: number[][] = [];
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, k) => v === b[k]);
  for (let l = 0; l < alpha.length; l++) {
    const variants = credibleSetOf(alpha[l], options.coverage);
    // susieR computes `duplicated(cs)` over every effect, then keeps effects with V > 1e-9.
    const duplicate = seen.some((earlier) => same(earlier, variants));
    seen.push(variants);
    if (!(V[l] > 1e-9) || duplicate) continue;
    let coverage = 0;
    for (const j of variants) coverage += alpha[l][j];
    candidates.push({ effect: l, variants, coverage });
  }
  const sets: SusieCredibleSet[] = [];
  for (const c of candidates) {
    let purity: [number, number, number] | null;
    if (options.nullIndex >= 0 && c.variants.includes(options.nullIndex)) purity = null; // susieR: −9, dropped
    else {
      const members = c.variants.length > options.nPurity ? evenSubsample(c.variants, options.nPurity) : c.variants;
      purity = purityOf(members, options.correlation, options.minAbsCorr);
    }
    if (purity === null) continue;
    if (purity[0] !== purity[0]) {
      notes.push(
        `the credible set of effect ${c.effect} (${c.variants.length} variants) was dropped, as susieR drops ` +
          "it: a member does not vary, so its correlations (purity) are undefined",
      );
      continue;
    }
    sets.push({
      variants: c.variants,
      coverage: c.coverage,
      purity: { minAbsCorr: purity[0], meanAbsCorr: purity[1], medianAbsCorr: purity[2] },
      csIndex: c.effect,
    });
  }
  // Stable sort by decreasing min |r| (R's order(…, decreasing = TRUE) keeps ties in order).
  sets.sort((a, b) => b.purity.minAbsCorr - a.purity.minAbsCorr);
  return { sets, notes };
}
