/**
 * Preloaded into the benchmarked server (node --expose-gc --import …/gc-probe.js): on the message `measure` from
 * the bench over the IPC channel, collects garbage fully and answers the resident set size. Nothing else.
 */
process.on('message', (message) => {
  if (message !== 'measure' || !process.send) return;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const { rss, heapUsed, external } = process.memoryUsage();
  process.send({ rss, heapUsed, external });
});
// The IPC channel must not keep the server alive once it shuts down.
process.channel?.unref();
