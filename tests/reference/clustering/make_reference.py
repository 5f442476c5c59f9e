#!/usr/bin/python3
"""Reference cases for lib/analysis/{hclust,olo,newick,tree}.ts, made with scipy.

Run from the repository root with Debian's python3-scipy (1.10) and numpy:

    /usr/bin/python3 tests/reference/clustering/make_reference.py

Writes, next to this script:
  server_trees.json  genes x tissues matrices -> the RatGTEx server's Newick strings (its
                     get_newick applied to linkage(d, "average", optimal_ordering=True)),
                     the linkage and leaf order; random (n up to 300), tied, duplicated rows,
                     and the API page's Polr3k/Rtel1/Eno1 example.
  linkages.json      every method x metric (and a precomputed condensed input): linkage
                     without and with optimal ordering, leaves_list of both.
  trees.json         fcluster (maxclust, distance), cophenet, cophenetic correlation,
                     comparisons of two trees (cophenetic correlation, Robinson-Foulds).
  format_g.json      Python "%g" of awkward floats (ties, exponents, -0).
Floats are written with repr (shortest round trip), so JSON.parse gives the same doubles.
"""
import json
import os
import sys

import numpy as np
import scipy
from scipy.cluster.hierarchy import (cophenet, fcluster, leaves_list, linkage,
                                     optimal_leaf_ordering, to_tree)
from scipy.spatial.distance import pdist

sys.setrecursionlimit(100000)
HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20240611)


# The server's writer, verbatim from daniel-munro/ratgtex api/app.py.
def get_newick(node, newick, parentdist, leaf_names):
    if node.is_leaf():
        return "%s:%g%s" % (leaf_names[node.id], parentdist - node.dist, newick)
    if len(newick) > 0:
        newick = "):%g%s" % (parentdist - node.dist, newick)
    else:
        newick = ");"
    newick = get_newick(node.get_left(), newick, node.dist, leaf_names)
    newick = get_newick(node.get_right(), ",%s" % (newick), node.dist, leaf_names)
    newick = "(%s" % (newick)
    return newick


def row_tree(values, names):
    if len(names) < 2:
        return "Not enough data", None
    clust = linkage(np.asarray(values, dtype=float), method="average", optimal_ordering=True)
    tree = to_tree(clust)
    return get_newick(tree, "", tree.dist, names), clust


def rows(z):
    return [[int(r[0]), int(r[1]), float(r[2]), int(r[3])] for r in z]


def tpm_like(n, p):
    # Log-normal medians rounded to 3 decimals, as the API reports them.
    m = np.exp(rng.normal(2.0, 2.0, size=(n, p)))
    return np.round(m, 3)


def server_case(name, values, genes=None, tissues=None):
    values = np.asarray(values, dtype=float)
    n, p = values.shape
    genes = genes or [f"G{i}" for i in range(n)]
    tissues = tissues or [f"T{j}" for j in range(p)]
    gene_newick, gz = row_tree(values, genes)
    tissue_newick, tz = row_tree(values.T, tissues)
    return {
        "name": name,
        "genes": genes,
        "tissues": tissues,
        "values": values.tolist(),
        "gene": gene_newick,
        "tissue": tissue_newick,
        "geneLinkage": rows(gz) if gz is not None else None,
        "geneOrder": leaves_list(gz).tolist() if gz is not None else None,
        "tissueLinkage": rows(tz) if tz is not None else None,
        "tissueOrder": leaves_list(tz).tolist() if tz is not None else None,
    }


def make_server_trees():
    cases = []
    # The API page's example: medians built so that the tree is the documented string.
    base = np.round(rng.uniform(0, 50, size=13), 3)
    # Eno1 must be nearer Polr3k than Rtel1 for the optimal ordering to give the page's order.
    polr3k = base.copy()
    polr3k[4] += 233.244
    rtel1 = base.copy()
    eno1 = base.copy()
    eno1[4] += 1404.432
    api = server_case("api-example", [polr3k, rtel1, eno1], ["Polr3k", "Rtel1", "Eno1"],
                      ["Adipose", "BLA", "Brain", "Eye", "IC", "IL", "LHb", "Liver", "NAcc",
                       "OFC", "PL", "pVTA", "RMTg"])
    assert api["gene"] == "((Rtel1:233.244,Polr3k:233.244):1054.57,Eno1:1287.81);", api["gene"]
    cases.append(api)
    for n in [2, 3, 4, 5, 7, 10, 20, 50, 100, 300]:
        cases.append(server_case(f"random-{n}x13", tpm_like(n, 13)))
    for n, p in [(30, 5), (12, 2), (60, 13)]:
        cases.append(server_case(f"random-{n}x{p}", tpm_like(n, p)))
    cases.append(server_case("one-gene", tpm_like(1, 13)))
    cases.append(server_case("one-tissue", tpm_like(8, 1)))
    # Ties: small integers give many equal distances; duplicated rows give zero distances.
    cases.append(server_case("ties-int-0-2-40x4", rng.integers(0, 3, size=(40, 4))))
    cases.append(server_case("ties-int-0-5-30x13", rng.integers(0, 6, size=(30, 13))))
    cases.append(server_case("ties-binary-25x3", rng.integers(0, 2, size=(25, 3))))
    cases.append(server_case("ties-1d-grid-20x1", np.arange(20).reshape(-1, 1) % 7))
    dup = tpm_like(15, 13)
    dup = np.vstack([dup, dup[[0, 3, 3, 7]], dup[[3]]])
    cases.append(server_case("duplicate-rows-20x13", dup))
    cases.append(server_case("all-equal-6x13", np.full((6, 13), 4.5)))
    cases.append(server_case("zeros-with-one-gene", np.vstack([np.zeros((5, 13)), np.ones((1, 13))])))
    cases.append(server_case("ties-int-200x13", rng.integers(0, 4, size=(200, 13))))
    # Branch lengths that need exponent form in %g (tiny and huge distances).
    cases.append(server_case("tiny-scale-10x13", tpm_like(10, 13) * 1e-7))
    cases.append(server_case("huge-scale-10x13", tpm_like(10, 13) * 1e5))
    return cases


def make_linkages():
    out = []
    data = {
        "random-60x13": np.round(rng.normal(0, 1, size=(60, 13)), 6),
        "tpm-40x13": tpm_like(40, 13),
        "ties-int-30x4": rng.integers(0, 3, size=(30, 4)).astype(float),
        "random-150x6": rng.normal(0, 1, size=(150, 6)),
    }
    for name, X in data.items():
        for method in ["average", "complete", "single", "weighted", "ward", "centroid", "median"]:
            metrics = ["euclidean"] if method in ["ward", "centroid", "median"] else [
                "euclidean", "correlation", "cosine", "cityblock"]
            for metric in metrics:
                y = pdist(X, metric)
                if not np.all(np.isfinite(y)):
                    continue  # constant rows have no correlation/cosine distance
                z = linkage(X, method=method, metric=metric)
                zo = optimal_leaf_ordering(z, y)
                out.append({
                    "data": name, "method": method, "metric": metric,
                    "linkage": rows(z), "order": leaves_list(z).tolist(),
                    "oloLinkage": rows(zo), "oloOrder": leaves_list(zo).tolist(),
                })
    # A precomputed condensed matrix (random, not Euclidean-embeddable).
    y = np.round(rng.uniform(0, 10, size=45 * 44 // 2), 2)
    for method in ["average", "complete", "single", "weighted", "ward", "centroid", "median"]:
        z = linkage(y, method=method)
        zo = optimal_leaf_ordering(z, y)
        out.append({"data": "condensed-45", "method": method, "metric": "precomputed",
                    "linkage": rows(z), "order": leaves_list(z).tolist(),
                    "oloLinkage": rows(zo), "oloOrder": leaves_list(zo).tolist()})
    pd = {k: {m: pdist(v, m).tolist() for m in ["euclidean", "correlation", "cosine", "cityblock"]
              if np.all(np.isfinite(pdist(v, m)))}
          for k, v in data.items() if k != "random-150x6"}
    return {"data": {k: v.tolist() for k, v in data.items()}, "condensed": {"condensed-45": y.tolist()},
            "pdist": pd, "cases": out}


def rf_distance(z1, z2, n):
    def clusters(z):
        members = {i: frozenset([i]) for i in range(n)}
        out = set()
        for i, r in enumerate(z):
            s = members[int(r[0])] | members[int(r[1])]
            members[n + i] = s
            if len(s) < n:
                out.add(s)
        return out
    a, b = clusters(z1), clusters(z2)
    return len(a ^ b), len(a) + len(b)


def make_trees():
    cases = []
    inputs = {
        "tpm-50x13": tpm_like(50, 13),
        "ties-int-40x3": rng.integers(0, 3, size=(40, 3)).astype(float),
        "random-90x5": rng.normal(0, 1, size=(90, 5)),
    }
    for name, X in inputs.items():
        for method in ["average", "complete", "single", "ward"]:
            y = pdist(X)
            z = linkage(X, method=method, optimal_ordering=True)
            heights = z[:, 2]
            ts = sorted(set([float(heights[len(heights) // 2]), float(heights[-3]),
                             float((heights[5] + heights[6]) / 2), 0.0, float(heights[-1]) + 1]))
            c, coph = cophenet(z, y)
            cases.append({
                "data": name, "method": method, "linkage": rows(z),
                "maxclust": {str(k): fcluster(z, k, "maxclust").tolist() for k in [1, 2, 3, 5, 8]},
                "distance": [{"t": t, "labels": fcluster(z, t, "distance").tolist()} for t in ts],
                "cophenetic": coph.tolist(),
                "copheneticCorrelation": float(c),
            })
    comps = []
    X = inputs["tpm-50x13"]
    za = linkage(X, "average", optimal_ordering=True)
    for method in ["complete", "single", "ward", "average"]:
        zb = linkage(np.log2(X + 1), method)
        r = np.corrcoef(cophenet(za), cophenet(zb))[0, 1]
        d, tot = rf_distance(za, zb, X.shape[0])
        comps.append({"a": rows(za), "b": rows(zb), "method": method,
                      "copheneticCorrelation": float(r), "rf": d, "rfMax": tot})
    return {"data": {k: v.tolist() for k, v in inputs.items()}, "cases": cases, "comparisons": comps}


def make_format_g():
    vals = [0.0, -0.0, 1.0, -1.0, 0.5, 1.015625, 1.171875, 2.5, 1234565.0, 1234575.0, 123456.5,
            12345.65, 0.0001, 0.00001, 1e-5, 1.5e6, 123456.0, 1234567.0, 999999.5, 9999995.0,
            0.1, 0.3, 1 / 3, 2 / 3, 1e16, 1e-300, 5e-324, 1.7976931348623157e308, 100.0, 1e5,
            1e6, 233.244, 1054.566, 1287.81, 0.000123456789, 3.0517578125e-05, 6.103515625e-05,
            0.0001220703125, 1.52587890625e-05, 7.62939453125e-06, 0.00048828125, 33.7890625,
            float("inf"), float("-inf"), float("nan")]
    vals += [float(v) for v in rng.normal(0, 1, 200) * 10.0 ** rng.integers(-9, 9, 200)]
    vals += [float(v) / 64 for v in rng.integers(0, 10 ** 8, 200)]
    vals += [float(v) / 2 for v in rng.integers(10 ** 6, 10 ** 7, 100)]
    return [{"x": repr(v), "g": "%g" % v} for v in vals]


def dump(name, obj):
    path = os.path.join(HERE, name)
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
    print(f"{name}: {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    print("scipy", scipy.__version__, "numpy", np.__version__)
    dump("server_trees.json", {"scipy": scipy.__version__, "cases": make_server_trees()})
    dump("linkages.json", {"scipy": scipy.__version__, **make_linkages()})
    dump("trees.json", {"scipy": scipy.__version__, **make_trees()})
    dump("format_g.json", make_format_g())
