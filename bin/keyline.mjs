#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so `npx keyline …` works without a build step.
import { register } from 'tsx/esm/api';

register();
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../local/cli.ts');
process.exitCode = await main(process.argv.slice(2));
