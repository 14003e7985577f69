// Runs in a fresh Node process started with the function's environment: imports a Lambda bundle
// and serves one invocation, timing both. The function's own output (logs, EMF metrics) goes to
// stdout, which the bench drains; the timings go to file descriptor 3.
import { writeSync } from 'node:fs';

const [bundle, eventJson] = process.argv.slice(2);
const t0 = performance.now();
const mod = await import(bundle);
const t1 = performance.now();
const result = await mod.handler(JSON.parse(eventJson), { getRemainingTimeInMillis: () => 5000 });
const t2 = performance.now();
writeSync(3, JSON.stringify({ importMs: t1 - t0, firstInvokeMs: t2 - t1, totalMs: t2 - t0, result }));
