// The size budget: what a page downloads to use the SDK (dist/ as `npm run build` left it),
// gzip -9, at most 30 KB. A test of its own because size, unlike time, is deterministic.
// Usage: node scripts/check-size.mjs   (exits 1 over budget; run after the build)
import { measureOurs, BYTES_BUDGET } from "./bench/sizes.mjs";

const { files, counted, total } = measureOurs();
for (const file of files.filter((f) => counted.includes(f.name))) console.log(`size: ${file.name} ${file.gzip} bytes gzip -9`);
if (total.gzip > BYTES_BUDGET) {
  console.error(`size: ${total.gzip} bytes gzip -9 in all, over the budget of ${BYTES_BUDGET} by ${total.gzip - BYTES_BUDGET}`);
  process.exit(1);
}
console.log(`size: ok, ${total.gzip} bytes gzip -9 in all (budget ${BYTES_BUDGET})`);
