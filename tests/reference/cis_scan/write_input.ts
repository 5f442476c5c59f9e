/**
 * Writes the synthetic tissue of tests/cis_scan_test.ts to FOLDER/tissue.bin for record.py (see there).
 *
 *   deno run -A tests/reference/cis_scan/write_input.ts FOLDER
 */
import { makeTissue, REFERENCE_TISSUE, writeTissue } from "../../support/cis_tissue.ts";

const folder = Deno.args[0];
Deno.mkdirSync(folder, { recursive: true });
writeTissue(`${folder}/tissue.bin`, makeTissue(REFERENCE_TISSUE));
