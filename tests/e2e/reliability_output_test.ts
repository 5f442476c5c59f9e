/**
 * `--out` and every atomic write: through a symlink to its target (the link kept), a FIFO and a device
 * written in place (a FIFO's reader gets the bytes; `/dev/null` stays a device), hard links kept, an
 * existing file's mode kept, a new file's mode from the umask; a failed CLI run leaves the old file as it was.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/_core/atomic_write.ts`.
 */
import assert from "node:assert/strict";
import { writeFileAtomic } from "../../lib/_core/atomic_write.ts";
import { ValidationError } from "ratgtex";
import { runCli, withDeadline } from "../support/reliability.ts";

const decoder = new TextDecoder();

Deno.test("atomic write: a symlink is written through (the link kept); a dangling one is refused", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/target.tsv`, "old\n");
  await Deno.symlink(`${dir}/target.tsv`, `${dir}/link.tsv`);
  await writeFileAtomic(`${dir}/link.tsv`, "new\n");
  assert.ok((await Deno.lstat(`${dir}/link.tsv`)).isSymlink);
  assert.equal(await Deno.readTextFile(`${dir}/target.tsv`), "new\n");
  await Deno.symlink(`${dir}/nowhere.tsv`, `${dir}/dangling.tsv`);
  await assert.rejects(
    writeFileAtomic(`${dir}/dangling.tsv`, "x"),
    (e) => e instanceof ValidationError && /dangling/.test(e.message),
  );
  await assert.rejects(Deno.lstat(`${dir}/nowhere.tsv`), Deno.errors.NotFound);
  await assert.rejects(writeFileAtomic(dir, "x"), (e) => e instanceof ValidationError && /folder/.test(e.message));
});

Deno.test("atomic write: a hard link is kept, an existing mode is kept, a new file follows the umask", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/a.tsv`, "old\n");
  await Deno.link(`${dir}/a.tsv`, `${dir}/b.tsv`);
  await writeFileAtomic(`${dir}/a.tsv`, "new\n");
  assert.equal(await Deno.readTextFile(`${dir}/b.tsv`), "new\n", "the other name sees the new content");
  assert.equal((await Deno.stat(`${dir}/a.tsv`)).ino, (await Deno.stat(`${dir}/b.tsv`)).ino);

  await Deno.writeTextFile(`${dir}/secret.tsv`, "old\n");
  await Deno.chmod(`${dir}/secret.tsv`, 0o600);
  await writeFileAtomic(`${dir}/secret.tsv`, "new\n");
  assert.equal((await Deno.stat(`${dir}/secret.tsv`)).mode! & 0o777, 0o600);

  const umask = parseInt(
    decoder.decode((await new Deno.Command("sh", { args: ["-c", "umask"] }).output()).stdout).trim(),
    8,
  );
  await writeFileAtomic(`${dir}/fresh.tsv`, "x\n");
  assert.equal((await Deno.stat(`${dir}/fresh.tsv`)).mode! & 0o777, 0o666 & ~umask);
  assert.deepEqual([...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".tmp")), [], "no temporary file left");
});

Deno.test("atomic write: a FIFO's reader gets the bytes, a device stays a device (also through a symlink)", async () => {
  const dir = await Deno.makeTempDir();
  const fifo = `${dir}/pipe`;
  assert.ok((await new Deno.Command("mkfifo", { args: [fifo] }).output()).success);
  const reader = new Deno.Command("cat", { args: [fifo], stdout: "piped" }).output();
  await withDeadline(writeFileAtomic(fifo, "geneId\nCd300lf\n"), 10_000, "write to a FIFO");
  assert.equal(decoder.decode((await withDeadline(reader, 10_000, "FIFO reader")).stdout), "geneId\nCd300lf\n");
  assert.ok((await Deno.lstat(fifo)).isFifo, "still a FIFO");

  await Deno.symlink("/dev/null", `${dir}/null`);
  await writeFileAtomic(`${dir}/null`, "discarded\n");
  assert.ok((await Deno.lstat(`${dir}/null`)).isSymlink);
  assert.ok((await Deno.stat("/dev/null")).isCharDevice);
});

Deno.test("cli --out: /dev/stdout is written in place; a failed run keeps the old file", async () => {
  const run = (args: string[]) => runCli(args, { RATGTEX_SOURCE: "offline" });
  const viaStdout = await run(["variant", "chr10:100826333", "--format", "tsv", "--out", "/dev/stdout"]);
  assert.equal(viaStdout.code, 0, viaStdout.stderr);
  assert.match(viaStdout.stdout, /^variantId\tchromosome\tpos\tref\talt\nchr10:100826333\t/);

  const dir = await Deno.makeTempDir();
  const path = `${dir}/genes.tsv`;
  await Deno.writeTextFile(path, "keep me\n");
  const failed = await run(["variant", "not-a-variant", "--out", path]);
  assert.notEqual(failed.code, 0);
  assert.equal(await Deno.readTextFile(path), "keep me\n");
});
