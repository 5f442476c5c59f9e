/**
 * A release folder is read as the API client reads a server: every file bounded, checked and kept inside
 * its folder. Each hostile folder is a copy of the bundled release in a temporary folder with one file
 * changed (issue 27's table): decompression bombs in zip members and gzip/BGZF files, malformed zip64,
 * tabix and BGZF structures, genotypes that are not calls, duplicated and ragged rows, non-finite values,
 * a modality named `constructor`, symlinks out of the folder and a FIFO. For each, the library throws a
 * typed error naming the file (and line, field, cap), and the twin — which reads through the same
 * readers — refuses the same request (HTML 500 for a route, 404 for a file outside the folder).
 * (Memory under the bombs is measured in child processes: tests/e2e/reliability_release_bombs_test.ts.)
 *
 * Imports internal modules by design: it reads hostile files through the readers below `openRelease`
 * (the folder reader, the zip reader) to check each one's typed error.
 */
import assert from "node:assert/strict";
import { ReleaseFormatError, ReleaseTooLargeError } from "ratgtex";
import { openRelease, type Release } from "ratgtex/release";
import { ReleaseFolder } from "../lib/release/folder.ts";
import { folderOf } from "../lib/release/release.ts";
import { ZipArchive } from "../lib/release/zip.ts";
import { createTwin, type Twin } from "ratgtex/offline";
import {
  copyRelease,
  editLines,
  editVcf,
  gzipBomb,
  hostileTbi,
  zip64Liar,
  zipBomb,
} from "./support/hostile_release.ts";

const MiB = 2 ** 20;
const WORKED = { geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" };
const DYNEQTL = "dyneqtl?geneId=Cd300lf&tissueSiteDetailId=IL&variantId=chr10:100826333";

/** A hostile copy of the release, its library reader and its twin; removed afterwards. */
async function hostile(
  change: (dir: string, root: string) => Promise<void>,
  run: (
    ctx: { dir: string; root: string; rel: Release; twin: Twin; get: (path: string) => Promise<Response> },
  ) => Promise<void>,
  limits = {},
): Promise<void> {
  const { root, dir } = await copyRelease();
  try {
    await change(dir, root);
    const rel = await openRelease(dir, { limits });
    const twin = await createTwin({ data: dir, limits });
    const get = (path: string) =>
      twin.handler(new Request(`http://127.0.0.1/${path.startsWith("data/") ? "" : "api/v4/"}${path}`));
    await run({ dir, root, rel, twin, get });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/** The twin refuses the request as the Flask app does when it raises: Werkzeug's HTML 500 page. */
async function assertServerError(res: Response, what: string): Promise<void> {
  await res.body?.cancel();
  assert.equal(res.status, 500, what);
}

/** A typed error of the release readers, naming the file (and, when given, line, field and cap). */
function typed(
  file: RegExp,
  more: { line?: number; field?: string; option?: string; message?: RegExp } = {},
): (e: unknown) => boolean {
  return (e: unknown) => {
    if (!(e instanceof ReleaseFormatError)) throw e;
    assert.match(e.file, file);
    assert.match(e.message, file);
    if (more.line !== undefined) assert.equal(e.line, more.line);
    if (more.field !== undefined) assert.equal(e.field, more.field);
    if (more.option !== undefined) {
      assert.ok(e instanceof ReleaseTooLargeError, `${e.message} is not a cap`);
      assert.equal(e.option, more.option);
      assert.match(e.message, new RegExp(more.option));
    }
    if (more.message !== undefined) assert.match(e.message, more.message);
    return true;
  };
}

Deno.test("zip members: past maxMemberBytes refused unread; a member lying about its size stops at its claim; typed; library and twin agree", async () => {
  const head = "variant_id\tpval_nominal\n";
  for (const claim of ["truth", "lie"] as const) {
    const bomb = await zipBomb("IL.v4/Cd300lf.txt", head, 80 * MiB, claim === "truth" ? 80 * MiB : 1000);
    await hostile(async (dir) => {
      await Deno.writeFile(`${dir}/cis_pvals/IL.v4.zip`, bomb);
      await Deno.writeFile(
        `${dir}/eqtl/all_gene_esnps.v4.zip`,
        await zipBomb(
          "all_gene_esnps.v4/Cd300lf.txt",
          "variantId\tpValue\n",
          80 * MiB,
          claim === "truth" ? 80 * MiB : 10,
        ),
      );
    }, async ({ rel, get }) => {
      // Told: refused before inflating (over maxMemberBytes). Lied about: stopped as soon as it passes its claim.
      const more = claim === "truth"
        ? { option: "maxMemberBytes" }
        : { message: /inflates to more than the (1000|10) bytes/ };
      await assert.rejects(rel.eqtlStatistics([WORKED]), typed(/cis_pvals\/IL\.v4\.zip: IL\.v4\/Cd300lf\.txt/, more));
      await assert.rejects(folderOf(rel).esnpsOf("Cd300lf"), typed(/all_gene_esnps\.v4\.zip/, more));
      await assertServerError(await get(DYNEQTL), `dyneqtl (${claim})`);
      await assertServerError(await get("singleTissueEqtl?geneId=Cd300lf"), `singleTissueEqtl (${claim})`);
      // The other genes of the archives still answer.
      assert.equal((await get("singleTissueEqtl?geneId=Eno1")).status, 200);
    });
  }
});

Deno.test("gzip/BGZF bombs: a BED, the medians and cis_qtl_signif stop at maxLineBytes / maxFileBytes, typed; library and twin agree", async () => {
  const bedHeader = "#chr\tstart\tend\tphenotype_id\tR1\n";
  const header =
    "phenotype_id\tvariant_id\ttss_distance\tend_distance\taf\tma_samples\tma_count\tpval_nominal\tslope\tslope_se\n";
  await hostile(async (dir) => {
    // 48 MiB of spaces after the header: one endless line (the line cap is 16 MiB).
    await Deno.writeFile(
      `${dir}/phenos/phenos.IL.expression.unnorm.v4_rn8.bed.gz`,
      await gzipBomb(bedHeader, 48 * MiB),
    );
    await Deno.writeFile(`${dir}/expr/medianGeneExpression.v4.tsv.gz`, await gzipBomb("geneId\tIL\n", 48 * MiB));
    await Deno.writeFile(`${dir}/xqtl/cis_qtl_signif.IL.expression.v4_rn8.txt.gz`, await gzipBomb(header, 48 * MiB));
  }, async ({ rel, get }) => {
    await assert.rejects(
      folderOf(rel).expression("IL"),
      typed(/phenos\.IL\.expression\.unnorm/, { option: "maxLineBytes", line: 2 }),
    );
    await assertServerError(await get("geneExpression?geneId=Cd300lf"), "geneExpression");
    await assert.rejects(rel.medianExpression(), typed(/medianGeneExpression/, { option: "maxLineBytes" }));
    await assertServerError(await get("medianGeneExpression?geneId=Cd300lf,Eno1"), "medianGeneExpression");
    await assert.rejects(rel.significantPairs(["IL"]), typed(/cis_qtl_signif\.IL/, { option: "maxLineBytes" }));
  });
  // Valid rows, many of them (cis_qtl_signif has no key): the file cap, set low here, holds.
  const row = "Cd300lf\tchr10:100826333\t1\t1\t0.5\t1\t1\t0.01\t0.5\t0.1\n";
  await hostile(async (dir) => {
    await Deno.writeFile(
      `${dir}/xqtl/cis_qtl_signif.IL.expression.v4_rn8.txt.gz`,
      await gzipBomb(header + row.repeat(1000), 24 * MiB, 0x0a), // then blank lines: valid, skipped
    );
  }, async ({ rel }) => {
    await assert.rejects(rel.significantPairs(["IL"]), typed(/cis_qtl_signif\.IL/, { option: "maxFileBytes" }));
  }, { maxFileBytes: 8 * MiB });
  // A gzip stream cut short or damaged is a typed error, not zlib's.
  await hostile(async (dir) => {
    const path = `${dir}/expr/medianGeneExpression.v4.tsv.gz`;
    const bytes = await Deno.readFile(path);
    await Deno.writeFile(path, bytes.subarray(0, bytes.length >> 1));
  }, async ({ rel, get }) => {
    await assert.rejects(rel.medianExpression(), typed(/medianGeneExpression/, { message: /damaged gzip/ }));
    await assertServerError(await get("medianGeneExpression?geneId=Cd300lf,Eno1"), "medianGeneExpression");
  });
});

Deno.test("malformed structures: zip64 sizes of 2^50, not a zip, a tabix index of 2^31-1 sequences or offsets of 2^40 → typed, naming the file", async () => {
  await hostile(async (dir) => {
    await Deno.writeFile(`${dir}/cis_pvals/IL.v4.zip`, zip64Liar(2n ** 50n, 2n ** 50n, 0n));
    await Deno.writeFile(`${dir}/cis_pvals/LHb.v4.zip`, new TextEncoder().encode("not a zip at all\n"));
    await Deno.writeFile(`${dir}/eqtl/all_gene_esnps.v4.zip`, zip64Liar(3n, 3n * 46n, 2n ** 40n));
  }, async ({ rel, get }) => {
    await assert.rejects(folderOf(rel).cisPvals("IL"), typed(/cis_pvals\/IL\.v4\.zip/, { message: /zip/ }));
    await assert.rejects(
      folderOf(rel).cisPvals("LHb"),
      typed(/cis_pvals\/LHb\.v4\.zip/, { message: /end-of-central-directory/ }),
    );
    await assert.rejects(folderOf(rel).allGeneEsnps(), typed(/all_gene_esnps\.v4\.zip/));
    await assertServerError(await get(DYNEQTL), "dyneqtl over a zip64 liar");
    await assertServerError(await get("singleTissueEqtl?geneId=Cd300lf"), "singleTissueEqtl");
  });
  for (
    const [what, tbi] of [["2^31-1 sequences", hostileTbi(2 ** 31 - 1, 0n)], [
      "offsets of 2^40",
      hostileTbi(1, 2n ** 40n),
    ]] as const
  ) {
    await hostile(async (dir) => {
      await Deno.writeFile(`${dir}/geno/ratgtex_v4_round11_2.rn8.vcf.gz.tbi`, tbi);
    }, async ({ rel, get }) => {
      await assert.rejects(
        rel.eqtlStatistics([WORKED]),
        typed(/ratgtex_v4_round11_2\.rn8\.vcf\.gz\.tbi/, { message: /tabix index/ }),
        what,
      );
      await assert.rejects(rel.genotypes({ variantIds: [WORKED.variantId] }), typed(/\.tbi/), what);
      await assertServerError(await get(DYNEQTL), `dyneqtl (${what})`);
      await assertServerError(await get("variant?variantId=chr10:100826333"), `variant (${what})`);
    });
  }
  // A BGZF block whose header lies (the VCF cut inside its first block and padded): typed, naming the VCF.
  await hostile(async (dir) => {
    const path = `${dir}/geno/ratgtex_v4_round11_2.rn8.vcf.gz`;
    const bytes = await Deno.readFile(path);
    bytes.fill(0x41, 18, 4000); // the deflate data of the first block, overwritten
    await Deno.writeFile(path, bytes);
  }, async ({ rel, get }) => {
    await assert.rejects(
      rel.genotypes({ variantIds: [WORKED.variantId] }),
      typed(/ratgtex_v4_round11_2\.rn8\.vcf\.gz/),
    );
    await assertServerError(await get(DYNEQTL), "dyneqtl over a damaged BGZF block");
  });
});

Deno.test("genotypes that are not calls: not diploid, an allele beyond ALT, no GT, a duplicated record, a 20 MiB line → typed (file, record, sample); library and twin agree", async () => {
  const at = (lines: string[]) => lines.findIndex((l) => l.startsWith("chr10\t100826333\t"));
  const cases: [string, (lines: string[]) => string[], RegExp, string | undefined][] = [
    [
      "0/1/1/1",
      (l) => {
        const f = l[at(l)].split("\t");
        f[9] = "0/1/1/1";
        l[at(l)] = f.join("\t");
        return l;
      },
      /not diploid/,
      "sample",
    ],
    [
      "5/7 with one ALT",
      (l) => {
        const f = l[at(l)].split("\t");
        f[9] = "5/7";
        l[at(l)] = f.join("\t");
        return l;
      },
      /allele 7, but the record has 1 ALT allele/,
      "sample",
    ],
    [
      "no GT field",
      (l) => {
        const f = l[at(l)].split("\t");
        f[8] = "DS";
        l[at(l)] = f.join("\t");
        return l;
      },
      /no GT field/,
      "FORMAT",
    ],
    [
      "a duplicated record",
      (l) => {
        l.splice(at(l) + 1, 0, l[at(l)]);
        return l;
      },
      /appears twice/,
      "POS",
    ],
    [
      "a half call",
      (l) => {
        const f = l[at(l)].split("\t");
        f[9] = "./1";
        l[at(l)] = f.join("\t");
        return l;
      },
      /half missing/,
      "sample",
    ],
  ];
  for (const [what, edit, message, field] of cases) {
    let sample = "";
    await hostile(async (dir) => {
      await editVcf(dir, "ratgtex_v4_round11_2", (lines) => {
        sample = lines.find((l) => l.startsWith("#CHROM"))!.split("\t")[9];
        return edit(lines);
      });
    }, async ({ rel, get }) => {
      const check = typed(/geno\/ratgtex_v4_round11_2\.rn8\.vcf\.gz/, { message });
      await assert.rejects(rel.eqtlStatistics([WORKED]), (e) => {
        check(e);
        assert.equal((e as ReleaseFormatError).field, field === "sample" ? sample : field, what);
        assert.match((e as Error).message, /chr10:100826333/);
        return true;
      }, what);
      await assert.rejects(rel.genotypes({ variantIds: [WORKED.variantId] }), check, what);
      await assertServerError(await get(DYNEQTL), `dyneqtl: ${what}`);
      await assertServerError(await get("variant?variantId=chr10:100826333"), `variant: ${what}`);
    });
  }
  // A 20 MiB record: the line cap (16 MiB by default) stops it (the review tried 64 MiB).
  await hostile(async (dir) => {
    await editVcf(dir, "ratgtex_v4_round11_2", (l) => {
      const f = l[at(l)].split("\t");
      f[7] = "X=" + "A".repeat(20 * MiB);
      l[at(l)] = f.join("\t");
      return l;
    });
  }, async ({ rel, get }) => {
    await assert.rejects(
      rel.genotypes({ variantIds: [WORKED.variantId] }),
      typed(/rn8\.vcf\.gz/, { option: "maxLineBytes" }),
    );
    await assertServerError(await get(DYNEQTL), "dyneqtl: a 20 MiB line");
  });
});

Deno.test("tables: duplicated phenotype rows, ragged rows, nan/inf/1e400, a modality named constructor → typed (file, line, field); library and twin agree", async () => {
  // A duplicated gene row in the BEDs: named with both lines.
  await hostile(async (dir) => {
    for (const n of ["unnorm", "norm"]) {
      await editLines(dir, `phenos/phenos.IL.expression.${n}.v4_rn8.bed.gz`, (l) => {
        const i = l.findIndex((x) => x.split("\t")[3] === "Cd300lf");
        return [...l, l[i]];
      });
    }
  }, async ({ rel, get }) => {
    await assert.rejects(
      folderOf(rel).expression("IL"),
      typed(/phenos\.IL\.expression\.unnorm/, { field: "phenotype_id", message: /duplicated phenotype row/ }),
    );
    await assert.rejects(
      rel.eqtlStatistics([WORKED]),
      typed(/phenos\.IL\.expression\.norm/, { field: "phenotype_id" }),
    );
    await assertServerError(await get("geneExpression?geneId=Eno1"), "geneExpression over a duplicated row");
  });
  // A ragged row and non-finite values in top_assoc.
  for (
    const [what, edit, more] of [
      ["a ragged row", (f: string[]) => f.slice(0, -1), { line: 3, message: /ragged/ }],
      ["nan", (f: string[]) => f.with(11, "nan"), { line: 3, field: "slope", message: /finite/ }],
      ["inf", (f: string[]) => f.with(10, "inf"), { line: 3, field: "pval_nominal", message: /finite/ }],
      ["1e400", (f: string[]) => f.with(12, "1e400"), { line: 3, field: "slope_se", message: /finite/ }],
    ] as const
  ) {
    await hostile(async (dir) => {
      await editLines(dir, "eqtl/top_assoc.v4_rn8.tsv", (l) => l.with(2, edit(l[2].split("\t")).join("\t")));
    }, async ({ rel, get }) => {
      await assert.rejects(rel.topAssociations(), typed(/top_assoc/, more), what);
      await assert.rejects(rel.eqtlStatistics([WORKED]), typed(/top_assoc/, more), what);
      await assertServerError(await get(DYNEQTL), `dyneqtl: top_assoc with ${what}`);
    });
  }
  // A duplicated record of top_assoc (same tissue and gene).
  await hostile(async (dir) => {
    await editLines(dir, "eqtl/top_assoc.v4_rn8.tsv", (l) => [...l, l[1]]);
  }, async ({ rel, get }) => {
    await assert.rejects(
      rel.topAssociations(),
      typed(/top_assoc/, { field: "tissue, gene_id", message: /repeats the record of line 2/ }),
    );
    await assertServerError(await get(DYNEQTL), "dyneqtl: a duplicated top_assoc record");
  });
  // A modality named constructor: refused by name, never looked up on a prototype.
  await hostile(async (dir) => {
    await editLines(dir, "xqtl/xqtls_indep.cross_modality.v4_rn8.tsv", (l) => {
      const i = l.findIndex((x) => x.split("\t")[3] === "Cd300lf");
      const f = l[i].split("\t");
      f[1] = "constructor";
      return l.with(i, f.join("\t"));
    });
  }, async ({ rel, get }) => {
    await assert.rejects(rel.independentXqtls(), (e) => {
      typed(/xqtls_indep/, { field: "modality", message: /"constructor", not one of the modalities/ })(e);
      assert.ok(!/function Object/.test((e as Error).message));
      return true;
    });
    await assertServerError(await get("xqtl?geneId=Cd300lf"), "xqtl with a constructor modality");
  });
  // Column names from a file are keys, never prototypes: a gene table with `constructor` and `__proto__` columns.
  await hostile(async (dir) => {
    await editLines(
      dir,
      "gene.v4.tsv",
      (l) => l.map((x, i) => x + (i === 0 ? "\tconstructor\t__proto__" : "\tTrue\tFalse")),
    );
  }, async ({ get }) => {
    const text = await (await get("gene?geneId=Cd300lf")).text();
    const body = JSON.parse(text);
    assert.equal(body.gene[0].constructor, true);
    assert.ok(text.includes('"__proto__":false'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

Deno.test("a folder is a boundary: symlinks out of it (a file, a folder, /), /etc/passwd, a FIFO → refused; links inside it are followed", async () => {
  await hostile(async (dir, root) => {
    await Deno.writeTextFile(`${root}/outside.tsv`, await Deno.readTextFile(`${dir}/eqtl/top_assoc.v4_rn8.tsv`));
    await Deno.remove(`${dir}/eqtl/top_assoc.v4_rn8.tsv`);
    await Deno.symlink(`${root}/outside.tsv`, `${dir}/eqtl/top_assoc.v4_rn8.tsv`); // a file outside
    await Deno.remove(`${dir}/autocomplete.v4.json`);
    await Deno.symlink("/etc/passwd", `${dir}/autocomplete.v4.json`);
    await Deno.mkdir(`${root}/elsewhere`);
    await Deno.copyFile(`${dir}/cis_pvals/IL.v4.zip`, `${root}/elsewhere/IL.v4.zip`);
    await Deno.remove(`${dir}/cis_pvals`, { recursive: true });
    await Deno.symlink(`${root}/elsewhere`, `${dir}/cis_pvals`); // a folder outside
    await Deno.symlink("/", `${dir}/root`); // the file system's root
    // Inside the folder: followed.
    await Deno.remove(`${dir}/expr/expr.tpm.IL.v4_rn8.bed.gz`);
    await Deno.symlink("../phenos/phenos.IL.expression.unnorm.v4_rn8.bed.gz", `${dir}/expr/expr.tpm.IL.v4_rn8.bed.gz`);
    await new Deno.Command("mkfifo", { args: [`${dir}/exon.v4.tsv.fifo`] }).output();
    await Deno.remove(`${dir}/exon.v4.tsv`);
    await Deno.rename(`${dir}/exon.v4.tsv.fifo`, `${dir}/exon.v4.tsv`);
  }, async ({ rel, get }) => {
    await assert.rejects(rel.topAssociations(), typed(/top_assoc/, { message: /outside the release folder/ }));
    await assert.rejects(folderOf(rel).cisPvals("IL"), typed(/cis_pvals\/IL\.v4\.zip/, { message: /outside/ }));
    await assert.rejects(rel.file("eqtl/top_assoc.v4_rn8.tsv"), ReleaseFormatError);
    await assert.rejects(folderOf(rel).exons(), typed(/exon\.v4\.tsv/, { message: /not a regular file \(a FIFO\)/ }));
    for (
      const path of [
        "data/v4/autocomplete.v4.json",
        "data/v4/root/etc/passwd",
        "data/v4/eqtl/top_assoc.v4_rn8.tsv",
        "data/v4/cis_pvals/IL.v4.zip",
        "data/v4/exon.v4.tsv",
      ]
    ) {
      const res = await get(path);
      const text = await res.text();
      assert.equal(res.status, 404, path);
      assert.ok(!text.includes("root:"), path);
    }
    await assertServerError(await get(DYNEQTL), "dyneqtl reading top_assoc through a link out");
    await assertServerError(await get("exon?geneId=Cd300lf"), "exon from a FIFO (no hang)");
    const inside = await get("data/v4/expr/expr.tpm.IL.v4_rn8.bed.gz");
    assert.equal(inside.status, 200);
    await inside.body?.cancel();
    const linked = await rel.file("expr/expr.tpm.IL.v4_rn8.bed.gz");
    assert.match(linked, /phenos\.IL\.expression\.unnorm/);
  });
  // The folder itself opened through a link is fine (the user chose it).
  const { root, dir } = await copyRelease();
  try {
    await Deno.symlink(dir, `${root}/link`);
    const rel = await openRelease(`${root}/link`);
    assert.ok((await rel.topAssociations()).height > 0);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("caps are options: raising maxMemberBytes reads a bigger member; a bad cap is refused", async () => {
  const bomb = await zipBomb("IL.v4/Cd300lf.txt", "variant_id\tpval_nominal\n", 2 * MiB, 2 * MiB, 0x0a);
  const small = { maxIndexBytes: MiB, maxMemberBytes: MiB };
  const src = {
    name: "x.zip",
    size: () => Promise.resolve(bomb.length),
    read: (o: number, l: number) => Promise.resolve(bomb.subarray(o, o + l)),
  };
  const zip = await ZipArchive.open(src, small);
  await assert.rejects(zip.read("IL.v4/Cd300lf.txt"), ReleaseTooLargeError);
  const roomy = await ZipArchive.open(src, { maxIndexBytes: MiB, maxMemberBytes: 4 * MiB });
  assert.equal((await roomy.read("IL.v4/Cd300lf.txt"))!.length, 2 * MiB);
  await assert.rejects(openRelease("fixtures/data", { limits: { maxFileBytes: -1 } }), /positive/);
  await assert.rejects(openRelease("fixtures/data", { limits: { maxFileByte: 1 } as never }), /not a reading cap/);
  assert.ok(ReleaseFolder.open("fixtures/data").limits.maxFileBytes > 0);
});
