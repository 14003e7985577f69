// Imported first by bench/run.ts: settings of the functions the suites run in this process. Logs
// and EMF metrics are quieted so that thousands of invocations do not flood the terminal. The
// screen-pop suite does not use these: it runs the shipped bundle in child processes with the
// deployed environment and drains their output (bench/screen-pop.ts).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
process.env.LOOKUP_BUDGET_MS = '5000';
