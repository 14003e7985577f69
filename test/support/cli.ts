import { vi } from 'vitest';
import { TABLE_NAME } from './fixtures.ts';

/**
 * The keyline CLI in process (the same main() bin/keyline.mjs runs), against the test file's table
 * on DynamoDB Local: its exit code and everything it printed, stdout and stderr in order.
 */
export async function cli(...argv: string[]): Promise<{ code: number; output: string }> {
  const { main } = await import('#local/cli.ts');
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
  vi.spyOn(console, 'error').mockImplementation((m: string) => void out.push(m));
  try {
    const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '';
    const code = await main([...argv, '--table', TABLE_NAME(), '--endpoint', endpoint]);
    return { code, output: out.join('\n') };
  } finally {
    vi.restoreAllMocks();
  }
}
