// Imported first by bench/run.ts: settings the functions read at cold start. Logs and EMF
// metrics are quieted so that thousands of invocations do not flood the terminal; in Lambda
// that output goes to the log agent asynchronously.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
process.env.LOOKUP_BUDGET_MS = '5000';
