import { BUNDLED_RELEASE, openRelease } from "./lib/release/mod.ts";
import { folderOf } from "./lib/release/release.ts";
const rel = await openRelease(BUNDLED_RELEASE);
const top = (await rel.topAssociations()).select("geneId", "tissueSiteDetailId").toRecords() as {geneId:string;tissueSiteDetailId:string}[];
const t0 = performance.now();
let extra = 0, missing = 0, bad = 0, total = 0, nan=0;
const extraExamples: string[] = [];
for (const { geneId, tissueSiteDetailId } of top) {
  const f = await rel.cisStatistics({ geneId, tissueSiteDetailId });
  const rows = f.toRecords() as any[];
  const member = await folderOf(rel).cisPvalsOf(tissueSiteDetailId, geneId);
  const pub = new Map(member!.rows.map((r) => [r[0], r[1]]));
  const ours = new Map(rows.map((r) => [r.variantId, r]));
  for (const [v, p] of pub) { total++; const o = ours.get(v); if (!o) { missing++; continue; } }
  for (const r of rows) if (!pub.has(r.variantId)) { extra++; if (Number.isNaN(r.pValue)) nan++; if (extraExamples.length<10) extraExamples.push(`${geneId} ${tissueSiteDetailId} ${r.variantId} ${r.pValue} ${r.reason} af=${r.af}`); }
}
console.log({ total, missing, extra, nan, ms: performance.now() - t0 });
console.log(extraExamples.join("\n"));
