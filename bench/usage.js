// Preloaded into the connector process by the benchmark (`node --require`): on exit, writes the
// process's own resource usage (peak RSS, peak V8 heap in use, CPU time) to BENCH_USAGE_FILE.
const { readFileSync, writeFileSync } = require('node:fs');
const { setInterval } = require('node:timers');
const peaks = {};
// Sampled: the heap in use is what the data needs (plus garbage not yet collected); RSS also counts what
// V8 and the allocator have not returned.
setInterval(() => {
  const m = process.memoryUsage();
  for (const [k, v] of Object.entries(m)) peaks[k] = Math.max(peaks[k] ?? 0, Math.round(v / 1048576));
}, 250).unref();
// Peak RSS of this process image: VmHWM counts from its exec. getrusage's maxRSS may not: Linux carries
// the high-water mark of the image before exec over, i.e. the pages a fork copied from the benchmark's
// own process (which also serves the simulator), and that floor showed up as the peak of small runs.
function peakRssKb() {
  try {
    const line = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (line) return Number(line[1]);
  } catch {
    // not Linux: fall back to getrusage
  }
  return process.resourceUsage().maxRSS;
}
process.on('exit', () => {
  const u = process.resourceUsage();
  writeFileSync(
    process.env.BENCH_USAGE_FILE,
    JSON.stringify({
      maxRssKb: peakRssKb(),
      peakMemoryMb: peaks,
      userCpuUs: u.userCPUTime,
      systemCpuUs: u.systemCPUTime,
    }),
  );
});
