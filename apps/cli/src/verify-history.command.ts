import type { INestApplicationContext } from '@nestjs/common';
import { AuditTrail } from '#engine';

/**
 * Verifies every problem's history hash chain and every daily anchor; prints the report as JSON (each broken chain
 * names its first broken row) and exits 1 when anything does not match.
 */
export async function runVerifyHistory(context: INestApplicationContext): Promise<number> {
  const report = await context.get(AuditTrail).verifyAll((problems) => {
    if (problems % 10_000 === 0) console.error(`… ${problems.toLocaleString('en')} problems verified`);
  });
  console.log(JSON.stringify(report, null, 2));
  if (!report.intact) {
    console.error(`History integrity: ${report.broken.length} broken chain(s), ${report.anchors.broken.length} broken anchor(s).`);
    return 1;
  }
  console.error(`History integrity: ${report.problems} problem(s), ${report.rows} row(s), ${report.anchors.checked} anchor(s), all intact.`);
  return 0;
}
