// The size budget: what a page downloads to use the SDK (dist/ as `npm run build` left it),
// gzip -9, at most 60 KB, and a ratchet below it. A test of its own because size, unlike time,
// is deterministic. npm test runs it with --ratchet.
// Usage: node scripts/check-size.mjs            exits 1 over the budget
//        node scripts/check-size.mjs --ratchet  exits 1 over the ratchet too: no change makes the
//                                               SDK bigger unnoticed
import { measureOurs, BYTES_BUDGET } from "./bench/sizes.mjs";

/** The total when this was last lowered (53,943 bytes), plus a little for toolchain drift.
 * Lower it whenever the SDK shrinks; never raise it to let a change through. */
const RATCHET = 54_200;

const ratchet = process.argv.includes("--ratchet");
const { files, counted, total } = measureOurs();
for (const file of files.filter((f) => counted.includes(f.name))) console.log(`size: ${file.name} ${file.gzip} bytes gzip -9`);
if (total.gzip > BYTES_BUDGET) {
  console.error(`size: ${total.gzip} bytes gzip -9 in all, over the budget of ${BYTES_BUDGET} by ${total.gzip - BYTES_BUDGET}`);
  process.exit(1);
}
if (ratchet && total.gzip > RATCHET) {
  console.error(`size: ${total.gzip} bytes gzip -9 in all, over the ratchet of ${RATCHET}: the SDK grew`);
  process.exit(1);
}
console.log(`size: ok, ${total.gzip} bytes gzip -9 in all (budget ${BYTES_BUDGET}${ratchet ? `, ratchet ${RATCHET}` : ""})`);
