/**
 * Scenario 4: the server's resident memory after GC once `small` and once `large` problems have been filed through
 * it (bulk import over HTTP, files of `rowsPerImport` rows at most, the same for both points): nothing per
 * problem may stay in memory. The V8 heap in use is reported beside the RSS.
 */
import type { DatabaseOptions } from '#persistence';
import { progress } from '../support/bench-environment.js';
import { findingsCsv } from '../support/findings-csv.js';
import { seedOrganisation, startServer } from '../support/bench-server.js';

export interface MemoryResult {
  small: number;
  large: number;
  rssSmallMiB: number;
  rssLargeMiB: number;
  ratio: number;
  heapSmallMiB: number;
  heapLargeMiB: number;
}

const WARM_UP_REQUESTS = 4_000;

export async function memory(database: DatabaseOptions, small: number, large: number, rowsPerImport: number): Promise<MemoryResult> {
  const org = await seedOrganisation(database);
  const server = await startServer(database);
  try {
    let filed = 0;
    let batch = 0;
    const fileUpTo = async (count: number) => {
      const tick = progress('filing through the server', count);
      while (filed < count) {
        const rows = Math.min(rowsPerImport, count - filed);
        const inspection = `MEM-${(batch += 1)}`;
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(findingsCsv(rows, inspection))], { type: 'text/csv' }), 'findings.csv');
        const response = await fetch(`${server.baseUrl}/inspections/${inspection}/problems/import`, {
          method: 'POST',
          headers: { authorization: `Bearer ${org.users.inspector.token}` },
          body: form,
        });
        if (response.status !== 201) throw new Error(`import → ${response.status} ${(await response.text()).slice(0, 300)}`);
        filed += rows;
        tick(filed);
      }
      // A page and a count read too, so what reading leaves behind is in the figure.
      for (const path of ['/problems?limit=50', '/problems/counts']) {
        const response = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${org.adminToken}` } });
        if (!response.ok) throw new Error(`${path} → ${response.status}`);
        await response.arrayBuffer();
      }
    };
    // Warm-up (as any measurement of a running server): requests that file nothing, until the JIT and V8's young
    // generation, which grows with the allocation rate and is not returned by a full GC, reach their working size.
    const warmUp = progress('warming the server up', WARM_UP_REQUESTS);
    for (let request = 1; request <= WARM_UP_REQUESTS; request += 1) {
      const path = ['/problems?limit=50', '/problems/counts', '/me', '/ledger/summary'][request % 4];
      const response = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${org.adminToken}` } });
      await response.arrayBuffer();
      warmUp(request);
    }
    await fileUpTo(small);
    const atSmall = await server.memoryAfterGc();
    await fileUpTo(large);
    const atLarge = await server.memoryAfterGc();
    const mib = (bytes: number) => Number((bytes / 1024 ** 2).toFixed(1));
    return {
      small,
      large,
      rssSmallMiB: mib(atSmall.rss),
      rssLargeMiB: mib(atLarge.rss),
      ratio: Number((atLarge.rss / atSmall.rss).toFixed(2)),
      heapSmallMiB: mib(atSmall.heapUsed),
      heapLargeMiB: mib(atLarge.heapUsed),
    };
  } finally {
    await server.stop();
  }
}
