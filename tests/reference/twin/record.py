"""Record the real RatGTEx API server's raw answers over the bundled miniature release.

Runs the Flask app of daniel-munro/ratgtex (api/app.py, from a checkout given on the command line; its
code is not copied into this project) in-process with Flask's test client, over fixtures/data/v4, for
a broad set of requests: every route, every gene, every tested gene x tissue pair (with its top variant,
its independent eQTLs and one more cis variant), and the failure cases. Writes answers.json.gz:
{"server": {"repo", "commit"}, "data": manifest, "answers": [{"path", "status", "contentType", "body"}]}.

app.py reads "../data/v4" relative to its working directory, so this runs it from <tmp>/run with
<tmp>/data -> the bundled data folder.

Usage (Debian: python3-flask python3-flask-cors python3-pandas python3-pysam python3-scipy):
  /usr/bin/python3 tests/reference/twin/record.py /path/to/ratgtex-checkout
"""
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import zipfile
from urllib.parse import quote

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DATA = os.path.join(ROOT, "fixtures", "data")
V4 = os.path.join(DATA, "v4")


def tsv(path):
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f]


def requests():
    genes = [r["geneId"] for r in tsv(os.path.join(V4, "gene.v4.tsv"))]
    tissues = [r["tissueSiteDetailId"] for r in tsv(os.path.join(V4, "tissue_info.v4.tsv"))]
    top = tsv(os.path.join(V4, "eqtl", "top_assoc.v4_rn8.tsv"))
    indep = tsv(os.path.join(V4, "eqtl", "eqtls_indep.v4_rn8.tsv"))
    rng = random.Random(16)
    q = lambda s: quote(s, safe=",:")
    paths = ["/api/v4/tissueInfo"]
    for g in genes:
        for route in ["gene", "exon", "geneExpression", "singleTissueEqtl", "eqtl", "xqtl", "medianGeneExpression"]:
            paths.append(f"/api/v4/{route}?geneId={q(g)}")
    paths.append("/api/v4/gene?geneId=" + ",".join(genes))
    paths.append("/api/v4/gene?geneId=CD300LF,cd300lf,Nope,Eno1,Eno1")
    paths.append("/api/v4/medianGeneExpression?geneId=" + ",".join(genes))
    paths.append("/api/v4/medianGeneExpression?geneId=Eno1,Polr3k,Rtel1")
    paths.append("/api/v4/medianGeneExpression?geneId=Eno1,Polr3k,Rtel1&tissueSiteDetailId=IL,Liver,pVTA")
    paths.append("/api/v4/medianGeneExpression?geneId=Eno1,Polr3k&tissueSiteDetailId=IL")
    paths.append("/api/v4/medianGeneExpression?geneId=Eno1&tissueSiteDetailId=IL")
    for t in tissues:
        paths.append(f"/api/v4/topExpressedGene?tissueSiteDetailId={t}")
        paths.append(f"/api/v4/topExpressedGene?tissueSiteDetailId={t}&filterMtGene=true")
    for v in ["True", "1", "0", "false", "null", "NaN", "[]"]:
        paths.append(f"/api/v4/topExpressedGene?tissueSiteDetailId=IL&filterMtGene={v}")
    variants = sorted({r["variant_id"] for r in top} | {r["variant_id"] for r in indep})
    for i in range(0, len(variants), 40):
        paths.append("/api/v4/variant?variantId=" + ",".join(variants[i:i + 40]))
    triples = set()
    for r in top:
        triples.add((r["tissue"], r["gene_id"], r["variant_id"]))
    for r in indep:
        triples.add((r["tissue"], r["gene_id"], r["variant_id"]))
    # One more tested cis variant per pair, from the pair's cis p-values.
    for t in tissues:
        with zipfile.ZipFile(os.path.join(V4, "cis_pvals", f"{t}.v4.zip")) as z:
            for name in z.namelist():
                gene = name.split("/")[1][:-4]
                lines = z.read(name).decode().splitlines()[1:]
                triples.add((t, gene, rng.choice(lines).split("\t")[0]))
    for t, g, v in sorted(triples):
        paths.append(f"/api/v4/dyneqtl?geneId={q(g)}&tissueSiteDetailId={t}&variantId={v}")
    # Failure cases: each of the server's crashes and not-founds.
    paths += [
        "/api/v4/dyneqtl?geneId=Cd300lf&tissueSiteDetailId=IL&variantId=chr10:100826333",
        "/api/v4/dyneqtl?geneId=Cd300lf&tissueSiteDetailId=IL&variantId=chr10:100880001",
        "/api/v4/dyneqtl?geneId=Cd300lf&tissueSiteDetailId=IL&variantId=chr10:1",
        "/api/v4/dyneqtl?geneId=Cd300lf&tissueSiteDetailId=IL&variantId=chr99:5",
        "/api/v4/dyneqtl?geneId=Cd300lf&tissueSiteDetailId=IL&variantId=chr10:abc",
        "/api/v4/dyneqtl?geneId=Cd300lf&tissueSiteDetailId=IL&variantId=chr10:0",
        "/api/v4/dyneqtl?geneId=Cd300lf&tissueSiteDetailId=IL&variantId=a:b:c",
        "/api/v4/dyneqtl?geneId=Cd300lf&tissueSiteDetailId=IL",
        "/api/v4/dyneqtl?geneId=Cd300lf&tissueSiteDetailId=Nope&variantId=chr10:100826333",
        "/api/v4/dyneqtl?geneId=Nope&tissueSiteDetailId=IL&variantId=chr10:100826333",
        "/api/v4/dyneqtl?geneId=SynMt1&tissueSiteDetailId=IL&variantId=chrM:2000",
        "/api/v4/dyneqtl?tissueSiteDetailId=IL&variantId=chr10:100826333",
        "/api/v4/variant?variantId=chr10:100880001",
        "/api/v4/variant?variantId=chr10:100826333,chr10:1,chr99:1,bad",
        "/api/v4/variant",
        "/api/v4/gene",
        "/api/v4/gene?geneId=",
        "/api/v4/gene?geneId=Eno1,,Rtel1",
        "/api/v4/geneExpression?geneId=Nope",
        "/api/v4/geneExpression",
        "/api/v4/medianGeneExpression?geneId=Nope",
        "/api/v4/medianGeneExpression",
        "/api/v4/medianGeneExpression?geneId=Eno1,Rtel1&tissueSiteDetailId=Nope",
        "/api/v4/topExpressedGene?tissueSiteDetailId=Nope",
        "/api/v4/topExpressedGene",
        "/api/v4/singleTissueEqtl?geneId=Nope",
        "/api/v4/singleTissueEqtl",
        "/api/v4/eqtl?geneId=Nope",
        "/api/v4/eqtl",
        "/api/v4/xqtl",
        "/api/v4/exon",
        "/api/v4/nope",
        "/api/v4/gene/",
    ]
    for t in tissues:
        for g in genes:
            # Untested pairs with a real variant: the server's KeyError on the threshold.
            pass
    untested = [(t, g) for t in tissues for g in genes if (t, g) not in {(r["tissue"], r["gene_id"]) for r in top}]
    for t, g in untested[:: max(1, len(untested) // 40)]:
        paths.append(f"/api/v4/dyneqtl?geneId={q(g)}&tissueSiteDetailId={t}&variantId=chr10:100826333")
    return paths


def main():
    checkout = os.path.abspath(sys.argv[1])
    commit = subprocess.run(["git", "-C", checkout, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    paths = requests()
    with tempfile.TemporaryDirectory() as tmp:
        os.symlink(DATA, os.path.join(tmp, "data"))
        os.mkdir(os.path.join(tmp, "run"))
        os.chdir(os.path.join(tmp, "run"))
        sys.path.insert(0, os.path.join(checkout, "api"))
        import app  # noqa: E402  (reads ../data/v4 at import)
        app.api.logger.disabled = True  # the expected crashes would print tracebacks
        client = app.api.test_client()
        answers = []
        for p in paths:
            r = client.get(p)
            answers.append({
                "path": p,
                "status": r.status_code,
                "contentType": r.headers.get("Content-Type"),
                "body": r.get_data(as_text=True),
            })
    with open(os.path.join(DATA, "manifest.json")) as f:
        manifest = json.load(f)
    out = {
        "server": {"repo": "daniel-munro/ratgtex", "file": "api/app.py", "commit": commit},
        "data": manifest,
        "recordedBy": "tests/reference/twin/record.py",
        "answers": answers,
    }
    raw = json.dumps(out, indent=0, sort_keys=True).encode()
    with open(os.path.join(HERE, "answers.json.gz"), "wb") as f:
        f.write(gzip.compress(raw, compresslevel=9, mtime=0))
    print(f"{len(answers)} answers recorded from {commit}")


if __name__ == "__main__":
    main()
