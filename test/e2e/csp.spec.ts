/**
 * The renderer's Content Security Policy in Chromium: the page talks to its own origin (the bridge's
 * API and event socket) and nowhere else, and has no inline script.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { expect, test } from './fixtures';

test('the page may reach its own bridge, and no other server, not even on loopback', async ({
  page,
  bridge,
}) => {
  let reached = 0;
  const other = http.createServer((_req, res) => {
    reached++;
    res.writeHead(200, { 'access-control-allow-origin': '*' });
    res.end('ok');
  });
  // It also accepts WebSockets: `connect-src ws:` would let the page open one to it.
  const sockets = new WebSocketServer({ server: other });
  sockets.on('connection', () => reached++);
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
  const otherPort = (other.address() as AddressInfo).port;
  try {
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(bridge.appUrl);
    await expect(page.getByRole('heading', { name: 'Station' })).toBeVisible();
    const result = await page.evaluate(async (port) => {
      const tryFetch = (url: string) =>
        fetch(url, { method: 'POST', body: '{}' }).then(
          (r) => `status ${r.status}`,
          (e: unknown) => `blocked: ${String(e)}`,
        );
      const tryWs = (url: string) =>
        new Promise<string>((resolve) => {
          try {
            const ws = new WebSocket(url);
            ws.onopen = () => resolve('open');
            ws.onerror = () => resolve('error');
          } catch (e) {
            resolve(`blocked: ${String(e)}`);
          }
        });
      return {
        own: await tryFetch('/api/getAppInfo'),
        other: await tryFetch(`http://127.0.0.1:${port}/`),
        otherWs: await tryWs(`ws://127.0.0.1:${port}/`),
      };
    }, otherPort);
    // An inline script is refused too (the DOM is the page's: evaluated as text there).
    const inlineScript = await page.evaluate(`(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.appendChild(s);
      return window.__inline ?? null;
    })()`);
    // Its own API answers (401 without the token in this raw call: it was reached, not blocked).
    expect(result.own).toMatch(/^status \d+$/);
    expect(result.other).toMatch(/^blocked/);
    expect(result.otherWs).not.toBe('open');
    expect(inlineScript).toBeNull();
    expect(reached).toBe(0);
    expect(violations.some((v) => /connect-src/.test(v))).toBe(true);
  } finally {
    sockets.close();
    other.close();
  }
});
