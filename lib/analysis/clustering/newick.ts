/**
 * Newick trees: writing them byte-identical to the RatGTEx server, parsing what any tool
 * writes, and converting to d3-hierarchy nodes and back to a linkage.
 *
 * The server (api/app.py in daniel-munro/ratgtex) runs scipy's
 * `linkage(d, method="average", optimal_ordering=True)`, `to_tree`, and a `get_newick` that
 * writes each inner node as `(right,left)` (it prepends while recursing) with branch lengths
 * formatted by Python's `"%g"`. {@link serverTree} and {@link toNewick} do exactly that.
 *
 * @module
 */

export { type NewickNode, NewickParseError, NOT_ENOUGH_DATA, parseNewick } from "./newick_read.ts";
export { formatNewick, serverTree, toNewick } from "./newick_write.ts";
export { type NewickLinkage, newickToLinkage, type NewickToLinkageOptions, toHierarchy } from "./newick_convert.ts";
