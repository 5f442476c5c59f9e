/**
 * Internal: numpy's legacy random stream, so that a seed gives the permutations tensorQTL draws.
 * tensorQTL's `map_cis(seed=s)` calls `np.random.seed(s)` and then `np.random.permutation(n)` once per
 * permutation; numpy's legacy `RandomState` is the 32-bit Mersenne Twister MT19937 (Matsumoto &
 * Nishimura 1998) seeded by its reference `init_genrand`, and `permutation` shuffles `arange(n)` by
 * Fisher–Yates from the last element down, each index drawn by `random_interval` (the smallest all-ones
 * mask ≥ the bound, redrawn while the masked 32-bit output exceeds it). Checked draw for draw against
 * numpy 1.24 in tests/cis_scan_test.ts.
 *
 * @module
 */

const N = 624;
const M = 397;

/** MT19937 seeded as numpy's `np.random.seed(seed)` (an integer in [0, 2³²)). */
export class MersenneTwister {
  #state = new Uint32Array(N);
  #index = N;

  constructor(seed: number) {
    const mt = this.#state;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 · prev + i modulo 2³², in two 16-bit halves (a double holds 53 bits only).
      mt[i] = ((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i;
    }
  }

  /** The next 32-bit output (numpy's `next_uint32`). */
  nextUint32(): number {
    const mt = this.#state;
    if (this.#index >= N) {
      for (let i = 0; i < N; i++) {
        const y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
        mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.#index = 0;
    }
    let y = mt[this.#index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform integer in [0, max] (numpy's `random_interval`, max < 2³²). */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0; while (value > max);
    return value;
  }

  /** Fill `out[offset … offset + n)` with a permutation of 0 … n − 1 (numpy's `permutation(n)`). */
  permutation(n: number, out: Int32Array, offset = 0): void {
    for (let i = 0; i < n; i++) out[offset + i] = i;
    for (let i = n - 1; i >= 1; i--) {
      const j = this.interval(i);
      const t = out[offset + j];
      out[offset + j] = out[offset + i];
      out[offset + i] = t;
    }
  }
}
