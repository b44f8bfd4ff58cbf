import type { INestApplicationContext } from '@nestjs/common';
import { EvidenceService } from '#engine';

/** Re-hashes every stored evidence file and prints the report as JSON; exit code 1 when anything is wrong. */
export async function runVerifyEvidence(context: INestApplicationContext): Promise<number> {
  const report = await context.get(EvidenceService).verify();
  console.log(JSON.stringify(report, null, 2));
  if (!report.ok) {
    console.error(`Evidence integrity: ${report.mismatches.length} mismatch(es), ${report.missing.length} missing file(s).`);
    return 1;
  }
  console.error(`Evidence integrity: ${report.checkedRows} row(s), ${report.checkedFiles} file(s), all intact.`);
  return 0;
}
