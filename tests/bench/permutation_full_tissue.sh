#!/bin/bash
# The permutation pass of one whole full-size synthetic tissue (25,000 genes × ~3,000 cis variants × 400
# samples × 25 covariates × 1,000 permutations), as five chromosome-sized runs of 5,000 genes each of
# permutation_pass_compare.ts: its synthetic generator puts a run on one chromosome, and 25,000 genes 100 kb
# apart would overflow 32-bit positions (the cis scan refuses them). The first run also times the equal
# numpy/scipy implementation on 40 genes; the others on 2. Sum the "2. cisPermutationPass … s" lines.
#
#   bash tests/bench/permutation_full_tissue.sh | tee full-tissue.txt      (~45 min on 2 cores, ~10 GB RSS)
set -euo pipefail
cd "$(dirname "$0")/../.."
for i in 1 2 3 4 5; do
  compare=2
  [ "$i" = 1 ] && compare=40
  echo "=== run $i of 5: $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/time -f "run $i wall %e s, peak RSS %M KB" \
    npx -y deno@2.9.6 run -A tests/bench/permutation_pass_compare.ts --genes 5000 --compare-genes "$compare" 2>&1 |
    grep -v '^\[{'
done
echo "=== end: $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
