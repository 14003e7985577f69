// Runs in a fresh Node process: imports a Lambda bundle and serves one invocation, timing both.
const [bundle, eventJson] = process.argv.slice(2);
const t0 = performance.now();
const mod = await import(bundle);
const t1 = performance.now();
const result = await mod.handler(JSON.parse(eventJson), { getRemainingTimeInMillis: () => 8000 });
const t2 = performance.now();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, firstInvokeMs: t2 - t1, totalMs: t2 - t0, result }));
