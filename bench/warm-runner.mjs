// The warm screen-pop bench, in a child process started with the function's deployed environment
// (bench/screen-pop.ts starts it): imports the shipped screen-pop bundle and the bare-calls bundle
// into this one process, then times both, interleaved, invocation by invocation. The function's
// logs and EMF metrics are written to stdout as in Lambda; the bench drains that pipe and counts
// it. Progress, timings and request counts go to the parent over the IPC channel.
import { randomBytes } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';
import { createServer } from 'node:http';

const cfg = await new Promise((resolve) => process.once('message', resolve));

// Every HTTP request the process sends, counted where Node opens it: below the SDK's retry
// strategy, so a retried call counts once per attempt.
let requests = 0;
subscribe('http.client.request.start', () => {
  requests++;
});

const { handler } = await import(cfg.handlerBundle);
const { bareScreenPop, probe } = await import(cfg.bareBundle);

/** The counter against a server that always answers 500: every attempt must be counted. */
async function retryProbe() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'com.amazon.coral.service#InternalFailure', message: 'probe' }));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const before = requests;
  let failed = false;
  try {
    await probe(`http://127.0.0.1:${server.address().port}`);
  } catch {
    failed = true;
  }
  server.close();
  return {
    failed,
    requestsCounted: requests - before,
    maxAttempts: Number(process.env.AWS_MAX_ATTEMPTS ?? 3),
  };
}

/** Lambda sets a fresh trace header for every invocation; the SDK forwards it. */
function newTraceId() {
  const now = Math.floor(Date.now() / 1000).toString(16);
  process.env._X_AMZN_TRACE_ID = `Root=1-${now}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}

const template = JSON.stringify(cfg.event);
const context = { getRemainingTimeInMillis: () => 5000 };
const probeResult = await retryProbe();
const handlerMs = [];
const bareMs = [];
let handlerRequests = 0;
let bareRequests = 0;
let unknown = 0;
const total = cfg.warmup + cfg.invocations;
for (let i = 0; i < total; i++) {
  const phone = cfg.callers[i % cfg.callers.length];
  // Lambda's runtime hands the function a freshly parsed event: so does this, outside the timing.
  const event = JSON.parse(template);
  event.Details.ContactData.ContactId = `bench-h-${i}`;
  event.Details.ContactData.InitialContactId = `bench-h-${i}`;
  event.Details.ContactData.CustomerEndpoint.Address = phone;
  const measured = i >= cfg.warmup;
  const runHandler = async () => {
    newTraceId();
    const r0 = requests;
    const t = performance.now();
    const answer = await handler(event, context);
    const ms = performance.now() - t;
    if (answer.known !== 'true' || answer.lookupStatus === 'error') unknown++;
    if (measured) {
      handlerMs.push(ms);
      handlerRequests += requests - r0;
    }
  };
  const runBare = async () => {
    newTraceId();
    const r0 = requests;
    const t = performance.now();
    const found = await bareScreenPop(phone, `bench-b-${i}`);
    const ms = performance.now() - t;
    if (!found) unknown++;
    if (measured) {
      bareMs.push(ms);
      bareRequests += requests - r0;
    }
  };
  // Alternate the order so neither side always runs on a warmer connection.
  if (i % 2 === 0) {
    await runHandler();
    await runBare();
  } else {
    await runBare();
    await runHandler();
  }
  if (i % 100 === 0) process.send({ progress: i, total });
}
process.send(
  { result: { handlerMs, bareMs, handlerRequests, bareRequests, unknown, probe: probeResult } },
  () => process.disconnect(),
);
