import type { Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLocalServer, listen } from '#local/server.ts';
import { loadDemo } from '../support/demo.ts';

let server: Server;
let base: string;
let port: number;

beforeAll(async () => {
  await loadDemo();
  server = createLocalServer();
  port = await listen(server, 0);
  base = `http://127.0.0.1:${port}`;
  // The server logs each refusal; the fuzz below makes hundreds.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterAll(async () => {
  vi.restoreAllMocks();
  await new Promise((r) => server?.close(r));
});

/** One raw HTTP/1.1 exchange, for request lines and headers fetch will not send. */
function raw(request: string | Buffer): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      data += d;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1] ?? 0), headers: head, body });
    });
  });
}

const alive = async () => (await fetch(`${base}/healthz`)).status === 200;

/** A JSON error answer: the status, and a body saying what was wrong. */
async function expectJsonError(res: Response, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/json');
  const body = (await res.json()) as { error: string; message: string };
  expect(body.message).toEqual(expect.any(String));
  if (code) expect(body.error).toBe(code);
}

describe('the local server under malformed and hostile requests', () => {
  it('checks the Connect tools’ bodies, and takes a contactId as Connect sends one', async () => {
    const tool = (name: string, body: unknown) =>
      fetch(`${base}/local/connect/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const numeric = await tool('inbound-call', { from: 13910012001 });
    expect(numeric.status).toBe(400);
    expect(((await numeric.json()) as { message: string }).message).toContain('body.from');
    const misspelt = await tool('ivr-complaint', { from: '+8613910012001', category: '2', contactID: 'c-1' });
    expect(misspelt.status).toBe(400);
    expect(((await misspelt.json()) as { message: string }).message).toContain('contactID');
    // The same Connect contact twice: one complaint, the same reference.
    const body = {
      from: '+8613910012001',
      category: '2',
      waybill: '7100000001',
      contactId: 'local-contact-1',
    };
    const first = (await (await tool('ivr-complaint', body)).json()) as {
      attributes: Record<string, string>;
    };
    const again = (await (await tool('ivr-complaint', body)).json()) as {
      attributes: Record<string, string>;
    };
    expect(first.attributes.recorded).toBe('true');
    expect(again.attributes.reference).toBe(first.attributes.reference);
  });

  it('sends no report for an unknown account, and says so', async () => {
    const res = await fetch(`${base}/local/report?accountId=acc-no-such`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    await expectJsonError(res, 404, 'not_found');
  });

  it('answers malformed percent-encoding with 400, on the desktop and the API, and stays up', async () => {
    for (const path of ['/%E0', '/%', '/api/accounts/%E0', '/api/%ZZ', '/local/%C0%AF', '/web/%E0%A4%A']) {
      await expectJsonError(await fetch(`${base}${path}`), 400, 'bad_request');
    }
    expect(await alive()).toBe(true);
  });

  it('keeps paths inside the desktop', async () => {
    for (const path of [
      '/..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
      '/..%5c..%5cpackage.json',
    ]) {
      const res = await fetch(`${base}${path}`);
      expect([403, 404]).toContain(res.status);
      expect(await res.text()).not.toContain('"dependencies"');
    }
  });

  it('answers malformed JSON with 400 and a body over the limit with 413, without running anything', async () => {
    const post = (path: string, body: string, type = 'application/json') =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
    await expectJsonError(await post('/local/incident', '{"region":'), 400, 'validation_failed');
    await expectJsonError(await post('/local/connect/inbound-call', '[1,2]'), 400, 'validation_failed');
    await expectJsonError(
      await post('/local/incident', JSON.stringify({ region: 'x'.repeat(5_000_000) })),
      413,
    );
    await expectJsonError(await post('/api/complaints', 'x'.repeat(1_100_000)), 413, 'too_large');
    const feed = await (await fetch(`${base}/local/feed`)).json();
    expect(feed.events.filter((e: { type?: string }) => String(e.type).includes('delay'))).toEqual([]);
    // The feed's tag: a client that holds it gets the tag alone.
    expect(await (await fetch(`${base}/local/feed?have=${feed.tag}`)).json()).toEqual({ tag: feed.tag });
    expect(await alive()).toBe(true);
  });

  it('refuses writes from another site: Sec-Fetch-Site, a foreign Origin, a non-JSON body', async () => {
    const complaint = JSON.stringify({
      accountId: 'acc-jinhe-grain',
      category: 'delay',
      severity: 'low',
      description: 'cross-site',
      waybills: [],
    });
    const cases: [Record<string, string>, number][] = [
      [{ 'content-type': 'text/plain', origin: 'https://evil.example' }, 403],
      [{ 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }, 403],
      [{ 'content-type': 'application/json', 'sec-fetch-site': 'same-site' }, 403],
      [{ 'content-type': 'application/json', origin: 'http://127.0.0.1:1' }, 403],
      [{ 'content-type': 'application/json', origin: 'null' }, 403],
      [{ 'content-type': 'text/plain' }, 415],
      [{ 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ];
    for (const [headers, status] of cases) {
      await expectJsonError(
        await fetch(`${base}/api/complaints`, { method: 'POST', headers, body: complaint }),
        status,
      );
    }
    const list = await (await fetch(`${base}/api/complaints?accountId=acc-jinhe-grain`)).json();
    expect(JSON.stringify(list)).not.toContain('cross-site');
    // The desktop's own request passes.
    const own = await fetch(`${base}/api/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', origin: base },
      body: complaint,
    });
    expect(own.status).toBe(201);
  });

  it('survives a fuzz of request lines, headers and bodies, never answering 5xx', async () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const pieces = [
      '%',
      '%E0',
      '%2F',
      '..',
      '/',
      '//',
      '\\',
      '?',
      '#',
      ';',
      '%00',
      '~',
      'api',
      'local',
      'accounts',
      'é',
      '%ff%fe',
      '{',
      '"',
      ' ',
    ];
    const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'BREW', 'get'];
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) {
      const path =
        `/${Array.from({ length: 1 + rand(6) }, () => pieces[rand(pieces.length)]).join('')}`.replaceAll(
          ' ',
          '%20',
        );
      const method = methods[rand(methods.length)];
      const body =
        rand(3) === 0
          ? ''
          : (['{', '[]', 'null', '{"from":1}', '\u0000\u0001', 'x'.repeat(rand(3000))][rand(6)] ?? '');
      const type = ['application/json', 'text/plain', 'application/json; charset=utf-8', ''][rand(4)];
      const extra = rand(4) === 0 ? `X-Bad: ${'a'.repeat(rand(100))}\r\n` : '';
      const r = await raw(
        `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${type ? `Content-Type: ${type}\r\n` : ''}${extra}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      statuses.push(r.status);
    }
    for (const bad of [
      'GET /\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
      'POST /local/incident HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      Buffer.from([0xff, 0xfe, 0x00, 0x0d, 0x0a, 0x0d, 0x0a]),
    ]) {
      statuses.push((await raw(bad)).status);
    }
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(await alive()).toBe(true);
  });
});
