/**
 * The static files: served from lib/ui/static with their content types, and nothing outside it: `..` in every
 * spelling, encoded separators, backslashes, NUL bytes, absolute paths and symbolic links that lead out are all
 * refused. Requests go over a real socket byte for byte (fetch would resolve `..` before sending).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket from 'ws';
import { defaultStaticRoot, resolveStaticFile, UIServer } from '../../lib';
import { rawRequest } from './helpers';

const SECRET = 'top-secret-content-1234';
let base: string;
let root: string;
let server: UIServer;

beforeAll(async () => {
  // root/ is the static folder; a secret lives beside it, and a link inside points out to it.
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-ui-static-'));
  root = path.join(base, 'static');
  fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>ok</title>');
  fs.writeFileSync(path.join(root, 'app.js'), 'export {};');
  fs.writeFileSync(path.join(root, 'sub', 'style.css'), 'body{}');
  fs.writeFileSync(path.join(base, 'secret.txt'), SECRET);
  fs.writeFileSync(path.join(base, 'static-evil.txt'), SECRET);
  fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'link.txt'));
  fs.symlinkSync(base, path.join(root, 'outside'));
  server = new UIServer({ host: '127.0.0.1', port: 0, maxRetries: 0, staticRoot: root, api: () => undefined, onConnect: () => '{}' });
  await server.start();
});

afterAll(async () => {
  await server.stop();
  fs.rmSync(base, { recursive: true, force: true });
});

test('serves the page and its files with their content types', async () => {
  const index = await rawRequest(server.port, '/');
  expect(index.status).toBe(200);
  expect(index.headers).toContain('Content-Type: text/html; charset=utf-8');
  expect(index.body).toContain('<title>ok</title>');
  const js = await rawRequest(server.port, '/static/app.js');
  expect(js.status).toBe(200);
  expect(js.headers).toContain('Content-Type: text/javascript; charset=utf-8');
  expect(js.headers).toContain('X-Content-Type-Options: nosniff');
  const css = await rawRequest(server.port, '/static/sub/style.css');
  expect(css.headers).toContain('Content-Type: text/css; charset=utf-8');
  expect((await rawRequest(server.port, '/static/missing.js')).status).toBe(404);
  expect((await rawRequest(server.port, '/static/sub')).status).toBe(404);
  const head = await rawRequest(server.port, '/static/app.js', {}, 'HEAD');
  expect([head.status, head.body]).toEqual([200, '']);
  const post = await rawRequest(server.port, '/static/app.js', { 'Content-Length': '0' }, 'POST');
  expect(post.status).toBe(405);
});

test('path traversal is refused in every spelling', async () => {
  const targets = [
    '/static/../secret.txt',
    '/static/../../secret.txt',
    '/static/sub/../../secret.txt',
    '/static/%2e%2e/secret.txt',
    '/static/%2E%2E/secret.txt',
    '/static/..%2fsecret.txt',
    '/static/..%2Fsecret.txt',
    '/static/%2e%2e%2fsecret.txt',
    '/static/sub%2f..%2f..%2fsecret.txt',
    '/static/..%5csecret.txt',
    '/static/..\\secret.txt',
    '/static/%252e%252e/secret.txt',
    '/static//' + path.join(base, 'secret.txt'),
    '/static/' + encodeURIComponent(path.join(base, 'secret.txt')),
    '/static/app.js%00.txt',
    '/static/link.txt',
    '/static/outside/secret.txt',
    '/static/../static-evil.txt',
    '/static/%',
    '/../secret.txt',
    '/static/./../secret.txt',
  ];
  for (const t of targets) {
    const r = await rawRequest(server.port, t);
    expect([t, r.status]).toEqual([t, r.status === 400 ? 400 : 404]);
    expect(r.body).not.toContain(SECRET);
  }
});

test('resolveStaticFile stays inside the folder', () => {
  expect(resolveStaticFile(root, 'app.js')).toBe(path.join(fs.realpathSync(root), 'app.js'));
  expect(resolveStaticFile(root, 'sub/style.css')).toBe(path.join(fs.realpathSync(root), 'sub', 'style.css'));
  for (const bad of ['../secret.txt', '%2e%2e/secret.txt', 'link.txt', 'outside/secret.txt', 'sub/../../secret.txt', 'a\0b', '..\\secret.txt', '', 'sub']) {
    expect([bad, resolveStaticFile(root, bad)]).toEqual([bad, undefined]);
  }
  // The shipped page is where the server looks for it.
  expect(fs.existsSync(path.join(defaultStaticRoot(), 'index.html'))).toBe(true);
});

test('the live feed refuses other paths and pages of other origins', async () => {
  const tryOpen = (target: string, headers: Record<string, string> = {}): Promise<string> =>
    new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}${target}`, { headers });
      ws.on('open', () => {
        ws.terminate();
        resolve('open');
      });
      ws.on('error', (e) => resolve(String(e.message)));
    });
  expect(await tryOpen('/ws')).toBe('open');
  expect(await tryOpen('/ws', { Origin: `http://127.0.0.1:${server.port}` })).toBe('open');
  expect(await tryOpen('/ws', { Origin: 'http://evil.example' })).toContain('403');
  expect(await tryOpen('/static/ws')).toContain('403');
});
