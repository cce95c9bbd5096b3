// The app written against the packages' 1.2.x API (projects/compat-app), built with the Angular
// compiler and run in Chromium against the e2e-server: a refused sign-in, a sign-in with its socket
// going live, a request, a push made by another client, a reload, "log in as" another user and back,
// logout.
// The steps run in order on one page, as one user would go through them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addCategory,
  categoryByName,
  categoryNames,
  launchBrowser,
  openSocketClient,
  openUser,
  screenshot,
  startStack,
  TIMEOUT,
  waitForCategory,
  waitForServerStats,
} from '../support.mjs';

const SEEDED_CATEGORIES = ['Starters', 'Mains', 'Desserts', 'Drinks'];

async function signIn(page, login, password) {
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Waits until the connection line says `text` (a RegExp). */
function waitForConnection(page, text, timeout = TIMEOUT.live) {
  return page.getByTestId('connection').filter({ hasText: text }).waitFor({ timeout });
}

describe('the app written for 1.2.x, in Chromium', () => {
  let stack;
  let browser;
  let page;
  /** Every console error and uncaught exception, checked at the end. */
  const problems = [];

  before(async () => {
    stack = await startStack({ app: 'compat-app' });
    browser = await launchBrowser();
    ({ page } = await openUser(browser, stack.demoUrl, 'admin', problems));
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('sends a visitor to the login page (JwtGuard, NoFreshJwtListener)', async () => {
    await page.waitForURL((url) => url.pathname === '/login', { timeout: TIMEOUT.ui });
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: TIMEOUT.ui });
  });

  it('shows a refused sign-in (loginAndInitSocketsErrored) and stays on the login page', async () => {
    await signIn(page, 'admin', 'not-the-password');
    const error = page.getByTestId('login-error');
    await error.waitFor({ timeout: TIMEOUT.ui });
    assert.match(await error.innerText(), /^Could not sign in: .+/);
    assert.equal(new URL(page.url()).pathname, '/login');
  });

  it('signs in, opens the menu once its socket is live (loginAndInitSocketsSucceed) and shows the pushed list', async () => {
    await signIn(page, 'admin', 'admin-pass');
    await page.waitForURL((url) => url.pathname === '/', { timeout: TIMEOUT.live });
    await waitForConnection(page, /^Live as Ada Admin \(admin\)$/);
    assert.equal(await page.getByTestId('user-name').innerText(), 'Ada Admin');
    assert.equal(await page.getByTestId('user-role').innerText(), 'admin');
    await page.getByTestId('categories').waitFor({ timeout: TIMEOUT.ui });
    assert.deepEqual(await categoryNames(page), SEEDED_CATEGORIES);
    // One socket, authorized, subscribed to CATEGORIES.
    await waitForServerStats(stack.server, (stats) => stats.sockets === 1 && stats.authorized === 1 && stats.subscriptions === 1);
  });

  it('adds a category through a socket request and shows it from the push', async () => {
    await addCategory(page, 'Soups');
    await waitForCategory(page, 'Soups');
    assert.match(await categoryByName(page, 'Soups').innerText(), /v1 · changed by admin/);
  });

  it('follows a rename made by another client', async () => {
    const manager = await openSocketClient(stack.server, 'manager', 'manager-pass');
    try {
      const { menuList } = await manager.request({ menuList: {} });
      const soups = menuList.categories.find((category) => category.name === 'Soups');
      assert.ok(soups, 'the other client sees the added category');
      const answer = await manager.request({ menuRename: { id: soups.id, name: 'Broths' } });
      assert.equal(answer.menuRename?.category?.name, 'Broths');
    } finally {
      await manager.close();
    }
    await waitForCategory(page, 'Broths');
    await waitForCategory(page, 'Soups', { present: false });
    assert.match(await categoryByName(page, 'Broths').innerText(), /v2 · changed by manager/);
  });

  it('stays signed in across a reload: JwtGuard logs in again from the stored tokens and the socket reopens', async () => {
    await page.reload();
    await waitForConnection(page, /^Live as Ada Admin \(admin\)$/);
    assert.equal(new URL(page.url()).pathname, '/');
    assert.deepEqual(await categoryNames(page), [...SEEDED_CATEGORIES, 'Broths']);
    await waitForServerStats(stack.server, (stats) => stats.sockets === 1 && stats.authorized === 1 && stats.subscriptions === 1);
  });

  it('logs in as another user: the socket reopens as that user, and the page shows their view (loginAsAndInitSocketsSucceed)', async () => {
    // The choice of users comes from GET /api/users, which gets its token from the JwtInterceptor.
    const actAs = page.getByLabel('Act as');
    await actAs.locator('option', { hasText: 'Vera Viewer (viewer)' }).waitFor({ state: 'attached', timeout: TIMEOUT.ui });
    await actAs.selectOption({ label: 'Vera Viewer (viewer)' });
    await page.getByRole('button', { name: 'Log in as' }).click();

    await waitForConnection(page, /^Live as Vera Viewer \(viewer\)$/);
    assert.equal(await page.getByTestId('user-name').innerText(), 'Vera Viewer');
    assert.equal(await page.getByTestId('user-role').innerText(), 'viewer');
    assert.match(await page.getByTestId('acting-for').innerText(), /acting for Ada Admin/);
    assert.match(await page.getByTestId('notice').innerText(), /acting as another user/);
    // A viewer reads the menu and cannot change it.
    await page.getByTestId('read-only-hint').waitFor({ timeout: TIMEOUT.ui });
    assert.equal(await page.getByLabel('New category').count(), 0);
    assert.equal(await page.getByLabel('Act as').count(), 0);
    assert.deepEqual(await categoryNames(page), [...SEEDED_CATEGORIES, 'Broths']);
    // The admin's socket was closed: one socket left, the viewer's.
    await waitForServerStats(stack.server, (stats) => stats.sockets === 1 && stats.authorized === 1 && stats.subscriptions === 1);
    await screenshot(page, 'compat-app-acting-as-viewer');
  });

  it('goes back to the admin: the socket reopens as the admin', async () => {
    await page.getByRole('button', { name: 'Back to Ada Admin' }).click();
    await waitForConnection(page, /^Live as Ada Admin \(admin\)$/);
    assert.equal(await page.getByTestId('user-name').innerText(), 'Ada Admin');
    assert.equal(await page.getByTestId('user-role').innerText(), 'admin');
    assert.equal(await page.getByTestId('acting-for').count(), 0);
    await page.getByLabel('New category').waitFor({ timeout: TIMEOUT.ui });
    assert.equal(new URL(page.url()).pathname, '/');
    await waitForServerStats(stack.server, (stats) => stats.sockets === 1 && stats.authorized === 1 && stats.subscriptions === 1);
  });

  it('logs out: back at the login page, and the server has no socket left', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((url) => url.pathname === '/login', { timeout: TIMEOUT.ui });
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: TIMEOUT.ui });
    await waitForServerStats(stack.server, (stats) => stats.sockets === 0 && stats.authorized === 0 && stats.subscriptions === 0);
  });

  it('logged no error but the refused sign-in', () => {
    // Chromium logs the 401 of the refused sign-in itself; nothing else may reach the console.
    const unexpected = problems.filter((problem) => !(problem.kind === 'console.error' && /status of 401/.test(problem.text)));
    assert.deepEqual(unexpected, []);
  });
});
