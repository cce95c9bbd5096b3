// What the browser suite shares: the demo stack (static server + e2e-server in test mode), Debian's
// Chromium through playwright-core, contexts that record console errors, and small bounded waits.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { ROOT, startDemoStack } from '../scripts/demo-server.mjs';

export const OUTPUT_DIR = join(ROOT, 'test-output', 'e2e');

/** Bounds for waits (never sleeps): generous for a loaded 2-core machine. */
export const TIMEOUT = { ui: 10_000, live: 15_000 };

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** Starts the demo (or another app of scripts/demo-server.mjs) on a free port against a test-mode e2e-server on another. */
export function startStack({ app = 'demo' } = {}) {
  return startDemoStack({ app, demoPort: 0, serverPort: 0, testMode: true });
}

export function launchBrowser() {
  return chromium.launch({ executablePath: process.env.CHROME_BIN || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Calls the e2e-server's control API (test mode): `drop`, `reset`, `expire-tokens`, `delay?ms=N`, … */
export async function control(server, action) {
  const response = await fetch(`${server.controlUrl}/${action}`, { method: 'POST' });
  if (!response.ok) throw new Error(`control ${action} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/**
 * Another client of the server, outside the browser: signs in over HTTP, opens the main socket with
 * JSON frames and authorizes. `request(body)` sends one request (`{ menuRename: {…} }`) and resolves
 * with its answer; `close()` resolves once the socket is closed.
 */
export async function openSocketClient(server, login, password) {
  const { tsImport } = await import('tsx/esm/api');
  const { Subprotocol } = await tsImport(join(ROOT, 'e2e-server', 'src', 'protocol.ts'), import.meta.url);
  const signIn = await fetch(`${server.httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (!signIn.ok) throw new Error(`signing in as ${login} answered ${signIn.status}: ${await signIn.text()}`);
  const { accessToken } = await signIn.json();

  const ws = new WebSocket(server.wsUrl, Subprotocol.Json);
  const closed = new Promise((resolve) => ws.once('close', resolve));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const waiting = new Map();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    waiting.get(message.id)?.(message);
  });
  let lastId = 0;
  const request = (body) => {
    const id = ++lastId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${JSON.stringify(body)}`)), TIMEOUT.ui);
      waiting.set(id, (message) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(message);
      });
      ws.send(JSON.stringify({ id, ...body }));
    });
  };
  const close = () => {
    if (ws.readyState !== WebSocket.CLOSED) ws.close(1000);
    return closed;
  };
  const answer = await request({ auth: { accessToken } });
  if (!answer.auth) {
    await close();
    throw new Error(`the socket refused ${login}: ${JSON.stringify(answer)}`);
  }
  return { request, close };
}

/** The server's connection counts (`GET /__control/stats`). */
export async function serverStats(server) {
  const response = await fetch(`${server.controlUrl}/stats`);
  if (!response.ok) throw new Error(`control stats answered ${response.status}`);
  return response.json();
}

/** Asks for the server's stats until `predicate` holds, for at most `timeout` ms. */
export async function waitForServerStats(server, predicate, timeout = TIMEOUT.ui) {
  const deadline = Date.now() + timeout;
  let stats = await serverStats(server);
  while (!predicate(stats)) {
    if (Date.now() > deadline) throw new Error(`the server's stats never matched: ${JSON.stringify(stats)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    stats = await serverStats(server);
  }
  return stats;
}

/**
 * Records every connection indicator's status in `window.__statusHistory` (`{ socket, status }` in
 * order), so a test can check a state was passed through however briefly it lasted.
 */
function recordStatuses() {
  const history = [];
  const last = new Map();
  Object.defineProperty(window, '__statusHistory', { value: history });
  const scan = () => {
    for (const element of document.querySelectorAll('[data-testid^="socket-status-"]')) {
      const socket = element.getAttribute('data-testid').slice('socket-status-'.length);
      const status = element.getAttribute('data-status');
      if (last.get(socket) !== status) {
        last.set(socket, status);
        history.push({ socket, status });
      }
    }
  };
  new MutationObserver(scan).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
}

/**
 * A browser context (a separate user: its own storage) with one page on the demo. Console errors
 * and uncaught exceptions are collected in `problems` (each with the context's name).
 */
export async function openUser(browser, demoUrl, name, problems) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push({ context: name, kind: 'console.error', text: message.text(), url: message.location().url });
  });
  page.on('pageerror', (error) => problems.push({ context: name, kind: 'uncaught', text: String(error?.stack ?? error) }));
  await page.addInitScript(recordStatuses);
  await page.goto(demoUrl);
  return { name, context, page };
}

/** Signs in through the login form (keyboard submit) and waits until both sockets are live. */
export async function login(page, login, password) {
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
  await waitForStatus(page, 'main', 'live');
  await waitForStatus(page, 'notifications', 'live');
}

export function statusLocator(page, socket, status) {
  return page.locator(`[data-testid="socket-status-${socket}"][data-status="${status}"]`);
}

export function waitForStatus(page, socket, status, timeout = TIMEOUT.live) {
  return statusLocator(page, socket, status).waitFor({ state: 'visible', timeout });
}

/** The statuses one socket's indicator has shown since the page loaded, in order. */
export function statusHistory(page, socket) {
  return page.evaluate((id) => window.__statusHistory.filter((entry) => entry.socket === id).map((entry) => entry.status), socket);
}

/** The category names in the menu, in order. */
export function categoryNames(page) {
  return page.locator('[data-testid="categories"] [data-testid="category-name"]').allTextContents();
}

export function categoryByName(page, name) {
  return page.locator(`[data-testid="categories"] li[data-name="${name.replace(/"/g, '\\"')}"]`);
}

/** Waits until the page shows (or no longer shows) a category with this name. */
export function waitForCategory(page, name, { present = true, timeout = TIMEOUT.ui } = {}) {
  return categoryByName(page, name).waitFor({ state: present ? 'visible' : 'detached', timeout });
}

export async function addCategory(page, name) {
  await page.getByLabel('New category').fill(name);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
}

export async function renameCategory(page, from, to) {
  await page.getByRole('button', { name: `Rename ${from}`, exact: true }).click();
  const field = page.getByLabel(`New name for ${from}`);
  await field.fill(to);
  await field.press('Enter');
}

export async function deleteCategory(page, name) {
  await page.getByRole('button', { name: `Delete ${name}`, exact: true }).click();
}

/** The stored access token of a context (ngx-customapp-jwt keeps the session in localStorage). */
export function storedAccessToken(page) {
  return page.evaluate(() => {
    const stored = JSON.parse(localStorage.getItem('ngx-customapp-jwt') ?? 'null');
    return stored?.tokens?.accessToken ?? null;
  });
}

export async function screenshot(page, name) {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const path = join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Marks the page so a test can tell it was not reloaded. */
export async function markPage(page) {
  const mark = `page-${Math.random().toString(36).slice(2)}`;
  await page.evaluate((value) => {
    window.__pageMark = value;
  }, mark);
  return mark;
}

export function pageMark(page) {
  return page.evaluate(() => window.__pageMark ?? null);
}
