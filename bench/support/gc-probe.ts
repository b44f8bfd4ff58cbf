/**
 * Preloaded into the benchmarked server (node --expose-gc --import …/gc-probe.js): on the message `measure` from
 * the bench over the IPC channel, collects garbage fully and answers the resident set size. Nothing else.
 */
process.on('message', (message) => {
  if (message !== 'measure' || !process.send) return;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  process.send({ rss: process.memoryUsage().rss });
});
// The IPC channel must not keep the server alive once it shuts down.
process.channel?.unref();
