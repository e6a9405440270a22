// Preloaded into the connector process by the benchmark (`node --require`): on exit, writes the
// process's own resource usage (peak RSS, peak V8 heap in use, CPU time) to BENCH_USAGE_FILE.
const { writeFileSync } = require('node:fs');
const { setInterval } = require('node:timers');
const peaks = {};
// Sampled: the heap in use is what the data needs (plus garbage not yet collected); RSS also counts what
// V8 and the allocator have not returned.
setInterval(() => {
  const m = process.memoryUsage();
  for (const [k, v] of Object.entries(m)) peaks[k] = Math.max(peaks[k] ?? 0, Math.round(v / 1048576));
}, 250).unref();
process.on('exit', () => {
  const u = process.resourceUsage();
  writeFileSync(
    process.env.BENCH_USAGE_FILE,
    JSON.stringify({
      maxRssKb: u.maxRSS,
      peakMemoryMb: peaks,
      userCpuUs: u.userCPUTime,
      systemCpuUs: u.systemCPUTime,
    }),
  );
});
