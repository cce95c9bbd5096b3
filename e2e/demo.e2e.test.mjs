// The demo app in a real browser against the e2e-server: login over HTTP, JWTs, two sockets with
// auth and subscriptions, live pushes, reconnects, token refresh, login-as and logout everywhere.
// One server and one browser for the file; every test starts from reset data with fresh contexts.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import {
  addCategory,
  categoryByName,
  categoryNames,
  control,
  deleteCategory,
  launchBrowser,
  login,
  markPage,
  openUser,
  pageMark,
  renameCategory,
  screenshot,
  startStack,
  statusHistory,
  statusLocator,
  storedAccessToken,
  TIMEOUT,
  waitForCategory,
  waitForServerStats,
  waitForStatus,
} from './support.mjs';

describe('the demo app in Chromium', () => {
  let stack;
  let browser;
  /** Every console error and uncaught exception of every context, for the last test. */
  const problems = [];
  /** Problems a test provoked on purpose (Chromium's own log line for an HTTP 401), by context. */
  const expectedProblems = [];
  let users = [];

  const open = async (name) => {
    const user = await openUser(browser, stack.demoUrl, name, problems);
    users.push(user);
    return user;
  };

  before(async () => {
    stack = await startStack();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  beforeEach(async () => {
    await control(stack.server, 'reset');
  });

  afterEach(async () => {
    await Promise.all(users.map((user) => user.context.close()));
    users = [];
  });

  it('shows a category one user adds to another user within one second', async () => {
    const a = await open('manager A');
    const b = await open('viewer B');
    await login(a.page, 'manager', 'manager-pass');
    await login(b.page, 'viewer', 'viewer-pass');
    assert.deepEqual(await categoryNames(b.page), ['Starters', 'Mains', 'Desserts', 'Drinks']);
    await screenshot(a.page, 'menu-logged-in');

    await addCategory(a.page, 'Soups');
    // The bound starts when A submits: B must see the push within one second.
    await waitForCategory(b.page, 'Soups', { timeout: 1000 });
    await waitForCategory(a.page, 'Soups');
    assert.match(await categoryByName(b.page, 'Soups').innerText(), /changed by manager/);
    // The viewer is told the menu is read-only and gets no edit controls.
    await b.page.getByTestId('read-only-hint').waitFor({ timeout: TIMEOUT.ui });
    assert.equal(await b.page.getByRole('button', { name: 'Delete Soups' }).count(), 0);
    // The second socket carries the notification of someone else's change.
    await b.page.getByTestId('notifications').getByText(/Soups/).waitFor({ timeout: TIMEOUT.ui });
  });

  it('follows a rename and a delete made by another user', async () => {
    const a = await open('manager A');
    const b = await open('viewer B');
    await login(a.page, 'manager', 'manager-pass');
    await login(b.page, 'viewer', 'viewer-pass');
    await addCategory(a.page, 'Soups');
    await waitForCategory(b.page, 'Soups');

    await renameCategory(a.page, 'Soups', 'Broths');
    await waitForCategory(b.page, 'Broths');
    await waitForCategory(b.page, 'Soups', { present: false });
    assert.match(await categoryByName(b.page, 'Broths').innerText(), /v2/);

    await deleteCategory(a.page, 'Broths');
    await waitForCategory(b.page, 'Broths', { present: false });
    await waitForCategory(a.page, 'Broths', { present: false });
    assert.deepEqual(await categoryNames(b.page), ['Starters', 'Mains', 'Desserts', 'Drinks']);
  });

  it('shows a change as pending until the server answers, and a refused one as failed', async () => {
    const a = await open('manager A');
    const b = await open('admin B');
    await login(a.page, 'manager', 'manager-pass');
    await login(b.page, 'admin', 'admin-pass');
    await control(stack.server, 'delay?ms=2500');
    try {
      // B deletes Desserts; the push telling A is held back, so A still offers to delete it.
      await deleteCategory(b.page, 'Desserts');
      await categoryByName(b.page, 'Desserts').getByTestId('pending').waitFor({ timeout: TIMEOUT.ui });
      await deleteCategory(a.page, 'Desserts');
      const row = categoryByName(a.page, 'Desserts');
      await row.getByTestId('pending').waitFor({ timeout: TIMEOUT.ui });
      assert.equal(await row.getAttribute('aria-busy'), 'true');
      // The server answers A's delete with NOT_FOUND: shown in words, in an alert.
      const alert = a.page.getByTestId('menu-error');
      await alert.waitFor({ timeout: TIMEOUT.ui });
      assert.equal(await alert.getAttribute('role'), 'alert');
      assert.match(await alert.innerText(), /Could not delete “Desserts”: There is no category/);
    } finally {
      await control(stack.server, 'delay?ms=0');
    }
    await waitForCategory(a.page, 'Desserts', { present: false });
    await a.page.getByRole('button', { name: 'Dismiss' }).click();
    await a.page.getByTestId('menu-error').waitFor({ state: 'detached', timeout: TIMEOUT.ui });
  });

  it('shows reconnecting on both sockets when the server drops every connection, then goes live again without a reload', async () => {
    const a = await open('manager A');
    const b = await open('viewer B');
    await login(a.page, 'manager', 'manager-pass');
    await login(b.page, 'viewer', 'viewer-pass');
    const marks = [await markPage(a.page), await markPage(b.page)];

    // Responses are held back for a while, so the way back (auth, subscribe) takes long enough to see.
    await control(stack.server, 'delay?ms=1500');
    try {
      const { dropped } = await control(stack.server, 'drop');
      assert.equal(dropped, 4, 'two sockets per context');
      for (const { page } of [a, b]) {
        await waitForStatus(page, 'main', 'reconnecting', TIMEOUT.ui);
        await waitForStatus(page, 'notifications', 'reconnecting', TIMEOUT.ui);
      }
      await a.page.getByText('Reconnecting…').first().waitFor({ timeout: TIMEOUT.ui });
      await screenshot(a.page, 'reconnecting');
    } finally {
      await control(stack.server, 'delay?ms=0');
    }
    for (const { page } of [a, b]) {
      await waitForStatus(page, 'main', 'live');
      await waitForStatus(page, 'notifications', 'live');
      assert.deepEqual((await statusHistory(page, 'main')).slice(-2), ['reconnecting', 'live']);
    }
    assert.deepEqual([await pageMark(a.page), await pageMark(b.page)], marks, 'neither page was reloaded');

    // The subscriptions are back: a change still reaches the other user.
    await addCategory(a.page, 'After the drop');
    await waitForCategory(b.page, 'After the drop');
  });

  /**
   * Takes A offline (new connections fail, as Chromium's offline mode does; the server then cuts every
   * socket), lets B make `changes` while A is away, and brings A back online: its `online` event ends
   * the backoff. Chromium logs each connection A could not make while offline.
   */
  async function outage(a, b, changes) {
    expectedProblems.push({ context: a.name, text: /WebSocket connection to .* failed/, url: /.*/ });
    await a.context.setOffline(true);
    await control(stack.server, 'drop');
    await waitForStatus(a.page, 'main', 'reconnecting', TIMEOUT.ui);
    await waitForStatus(b.page, 'main', 'live');
    await changes();
    await a.context.setOffline(false);
    await waitForStatus(a.page, 'main', 'live');
  }

  it('catches up with the changes another user made while it was offline, one by one, without a reload', async () => {
    const a = await open('viewer A (goes offline)');
    const b = await open('manager B');
    await login(a.page, 'viewer', 'viewer-pass');
    await login(b.page, 'manager', 'manager-pass');
    const mark = await markPage(a.page);

    await outage(a, b, async () => {
      for (let n = 1; n <= 10; n += 1) {
        await addCategory(b.page, `Special ${n}`);
        await waitForCategory(b.page, `Special ${n}`);
      }
      await renameCategory(b.page, 'Starters', 'Appetizers');
      await waitForCategory(b.page, 'Appetizers');
      await deleteCategory(b.page, 'Drinks');
      await waitForCategory(b.page, 'Drinks', { present: false });
    });

    const notice = a.page.getByTestId('menu-sync');
    await notice.getByText('Back online: recovered 12 changes made while you were away.').waitFor({ timeout: TIMEOUT.live });
    assert.equal(await notice.getAttribute('role'), 'status');
    await waitForCategory(a.page, 'Special 10');
    assert.deepEqual(await categoryNames(a.page), await categoryNames(b.page));
    assert.equal(await a.page.getByTestId('menu-loading').count(), 0, 'the menu was never reloaded');
    assert.equal(await pageMark(a.page), mark, 'the page was not reloaded');
    await screenshot(a.page, 'recovered-after-outage');
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await notice.waitFor({ state: 'detached', timeout: TIMEOUT.ui });
  });

  it('reloads the menu, and says so, when the server can no longer replay what was missed', async () => {
    const a = await open('viewer A (away too long)');
    const b = await open('manager B');
    await login(a.page, 'viewer', 'viewer-pass');
    await login(b.page, 'manager', 'manager-pass');
    await control(stack.server, 'history?maxCount=0');

    await outage(a, b, async () => {
      await addCategory(b.page, 'Forgotten by the history');
      await waitForCategory(b.page, 'Forgotten by the history');
    });

    await a.page.getByTestId('menu-sync').getByText(/so the menu was reloaded/).waitFor({ timeout: TIMEOUT.live });
    await waitForCategory(a.page, 'Forgotten by the history');
    assert.deepEqual(await categoryNames(a.page), await categoryNames(b.page));
  });

  it('refreshes expired tokens and stays live without the user doing anything', async () => {
    const a = await open('manager A');
    const b = await open('viewer B');
    await login(a.page, 'manager', 'manager-pass');
    await login(b.page, 'viewer', 'viewer-pass');
    const tokenBefore = await storedAccessToken(a.page);
    const historyBefore = (await statusHistory(a.page, 'main')).length;

    const { closed } = await control(stack.server, 'expire-tokens');
    assert.equal(closed, 4, 'every authorized socket was closed with "token expired"');

    // A new access token (refreshed over HTTP), and both sockets live again on it.
    await a.page.waitForFunction((old) => {
      const stored = JSON.parse(localStorage.getItem('ngx-customapp-jwt') ?? 'null');
      return !!stored?.tokens?.accessToken && stored.tokens.accessToken !== old;
    }, tokenBefore, { timeout: TIMEOUT.live });
    for (const { page } of [a, b]) {
      await waitForStatus(page, 'main', 'live');
      await waitForStatus(page, 'notifications', 'live');
    }
    const after = (await statusHistory(a.page, 'main')).slice(historyBefore - 1);
    assert.ok(after.length >= 3 && after.at(-1) === 'live', `the socket went down and came back: ${after.join(' → ')}`);
    assert.notEqual(await storedAccessToken(a.page), tokenBefore);
    assert.equal(new URL(a.page.url()).pathname, '/', 'still on the menu, not sent to the login page');

    // The refreshed session works for requests and pushes.
    await addCategory(a.page, 'Fresh token');
    await waitForCategory(b.page, 'Fresh token');
  });

  it('renews a 3 s token on the open sockets, ahead of its expiry, without reconnecting', async () => {
    await control(stack.server, 'access-ttl?seconds=3');
    const a = await open('manager A (3 s tokens)');
    const b = await open('viewer B');
    await login(a.page, 'manager', 'manager-pass');
    await login(b.page, 'viewer', 'viewer-pass');
    const histories = [await statusHistory(a.page, 'main'), await statusHistory(a.page, 'notifications')];
    const first = await storedAccessToken(a.page);
    const firstExpiry = JSON.parse(Buffer.from(first.split('.')[1], 'base64url').toString()).exp * 1000;

    // Each renewal is a new stored token; go on until the first token is well past its expiry.
    let token = first;
    let renewals = 0;
    while (renewals < 3 || Date.now() < firstExpiry + 1000) {
      await a.page.waitForFunction(
        (old) => JSON.parse(localStorage.getItem('ngx-customapp-jwt') ?? 'null')?.tokens?.accessToken !== old,
        token,
        { timeout: TIMEOUT.live },
      );
      token = await storedAccessToken(a.page);
      renewals += 1;
    }

    assert.deepEqual([await statusHistory(a.page, 'main'), await statusHistory(a.page, 'notifications')], histories, 'no reconnect');
    await addCategory(a.page, 'Still the first socket');
    await waitForCategory(b.page, 'Still the first socket');
    await waitForServerStats(stack.server, (stats) => stats.sockets === 4 && stats.authorized === 4);
  });

  it('lets the admin log in as the manager and back, the connection and data following each identity', async () => {
    const a = await open('admin A');
    const watcher = await open('admin watcher');
    await login(a.page, 'admin', 'admin-pass');
    await login(watcher.page, 'admin', 'admin-pass');
    await a.page.getByTestId('current-user').getByText('Ada Admin').waitFor({ timeout: TIMEOUT.ui });
    await a.page.getByTestId('audit-log').waitFor({ timeout: TIMEOUT.ui });
    const before = (await statusHistory(a.page, 'main')).length;

    await a.page.getByLabel('User', { exact: true }).selectOption({ label: 'Max Manager (Manager)' });
    await a.page.getByTestId('login-as-submit').click();
    await a.page.getByTestId('current-user').getByText('Max Manager').waitFor({ timeout: TIMEOUT.ui });
    await a.page.getByTestId('acting-as').getByText('Ada Admin').waitFor({ timeout: TIMEOUT.ui });
    await waitForStatus(a.page, 'main', 'live');
    await waitForStatus(a.page, 'notifications', 'live');
    const switched = (await statusHistory(a.page, 'main')).slice(before);
    assert.ok(switched.some((status) => status !== 'live'), `the sockets reopened: ${switched.join(' → ')}`);
    // As the manager: no audit log, and the server attributes changes to "admin as manager".
    await a.page.getByTestId('audit-log').waitFor({ state: 'detached', timeout: TIMEOUT.ui });
    await addCategory(a.page, 'Specials');
    await waitForCategory(watcher.page, 'Specials');
    await watcher.page.getByTestId('audit-log').getByText('admin as manager').waitFor({ timeout: TIMEOUT.ui });

    const beforeBack = (await statusHistory(a.page, 'main')).length;
    await a.page.getByTestId('back-to-master').click();
    await a.page.getByTestId('current-user').getByText('Ada Admin').waitFor({ timeout: TIMEOUT.ui });
    await waitForStatus(a.page, 'main', 'live');
    await waitForStatus(a.page, 'notifications', 'live');
    assert.ok((await statusHistory(a.page, 'main')).length > beforeBack, 'the sockets reopened as the admin');
    assert.equal(await a.page.getByTestId('acting-as').count(), 0);
    // The admin's own subscription (the audit log) is back, and changes are the admin's again.
    await a.page.getByTestId('audit-log').waitFor({ timeout: TIMEOUT.ui });
    await renameCategory(a.page, 'Specials', 'Chef specials');
    await waitForCategory(watcher.page, 'Chef specials');
    assert.match(await categoryByName(watcher.page, 'Chef specials').innerText(), /changed by admin/);
    await a.page.getByTestId('audit-log').getByText(/^admin$/).first().waitFor({ timeout: TIMEOUT.ui });
  });

  it('closes every session of a user who logs out from every device and shows them the login page', async () => {
    const a = await open('manager A');
    const b = await open('viewer B');
    const c = await open('manager C');
    await login(a.page, 'manager', 'manager-pass');
    await login(b.page, 'viewer', 'viewer-pass');
    await login(c.page, 'manager', 'manager-pass');

    await a.page.getByTestId('logout-everywhere').click();
    await a.page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: TIMEOUT.ui });
    // C was not touched: the server closed its sockets, and the app signed it out and said why.
    await c.page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: TIMEOUT.ui });
    assert.match(await c.page.getByTestId('signed-out-notice').innerText(), /logged out from every device/);
    assert.equal(await c.page.evaluate(() => localStorage.getItem('ngx-customapp-jwt')), null, 'no session left in storage');
    // Only the other user's two sockets are left on the server, and they are still live.
    await waitForServerStats(stack.server, (stats) => stats.sockets === 2 && stats.authorized === 2);
    assert.equal(await statusLocator(b.page, 'main', 'live').count(), 1);
    assert.equal(await statusLocator(b.page, 'notifications', 'live').count(), 1);
    // And C can sign in again.
    await login(c.page, 'manager', 'manager-pass');
  });

  it('keeps the user signed in across a reload, and closes the sockets when they log out', async () => {
    const a = await open('viewer A');
    await login(a.page, 'viewer', 'viewer-pass');
    await a.page.reload();
    // The stored session logs in again and the sockets reopen, without the login page.
    await waitForStatus(a.page, 'main', 'live');
    await waitForStatus(a.page, 'notifications', 'live');
    await a.page.getByTestId('current-user').getByText('Vera Viewer').waitFor({ timeout: TIMEOUT.ui });
    await waitForServerStats(stack.server, (stats) => stats.authorized === 2);

    await a.page.getByTestId('logout').click();
    await a.page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: TIMEOUT.ui });
    await waitForServerStats(stack.server, (stats) => stats.sockets === 0 && stats.sessions === 0);
    assert.equal(await a.page.getByTestId('signed-out-notice').count(), 0, 'a logout the user asked for needs no explanation');
  });

  it('follows a sign-in and a sign-out made in another tab of the same browser', async () => {
    const a = await open('manager, first tab');
    const secondTab = await a.context.newPage();
    secondTab.on('console', (message) => {
      if (message.type() === 'error') problems.push({ context: 'manager, second tab', kind: 'console.error', text: message.text(), url: message.location().url });
    });
    secondTab.on('pageerror', (error) => problems.push({ context: 'manager, second tab', kind: 'uncaught', text: String(error?.stack ?? error) }));
    await secondTab.goto(stack.demoUrl);
    await secondTab.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: TIMEOUT.ui });

    await login(a.page, 'manager', 'manager-pass');
    // The second tab follows the shared session: off the login page, its own sockets live.
    await waitForStatus(secondTab, 'main', 'live');
    await waitForStatus(secondTab, 'notifications', 'live');
    await secondTab.getByTestId('current-user').getByText('Max Manager').waitFor({ timeout: TIMEOUT.ui });
    await waitForServerStats(stack.server, (stats) => stats.authorized === 4 && stats.sessions === 1);

    await a.page.getByTestId('logout').click();
    await a.page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: TIMEOUT.ui });
    await secondTab.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: TIMEOUT.ui });
    await waitForServerStats(stack.server, (stats) => stats.sockets === 0 && stats.sessions === 0);
  });

  it('shows a refused login in words and signs in with the keyboard alone', async () => {
    const a = await open('keyboard user');
    // Chromium itself logs the refused request ("Failed to load resource … 401"): expected here only.
    expectedProblems.push({ context: a.name, text: /status of 401/, url: /\/api\/auth\/login$/ });
    const { page } = a;
    await page.getByLabel('Login').waitFor({ timeout: TIMEOUT.ui });
    // The login field is the first stop of the Tab order.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'login');
    await page.keyboard.type('manager');
    await page.keyboard.press('Tab');
    await page.keyboard.type('not-the-password');
    await page.keyboard.press('Enter');
    const error = page.getByTestId('login-error');
    await error.waitFor({ timeout: TIMEOUT.ui });
    assert.equal(await error.getAttribute('role'), 'alert');
    assert.match(await error.innerText(), /Could not sign in: .+/);

    await page.getByLabel('Password').fill('manager-pass');
    await page.getByLabel('Password').press('Enter');
    await waitForStatus(page, 'main', 'live');
    // Add a category with the keyboard: type, Enter.
    await page.getByLabel('New category').focus();
    await page.keyboard.type('Keyboard special');
    await page.keyboard.press('Enter');
    await waitForCategory(page, 'Keyboard special');
  });

  it('logs no console error and throws no uncaught exception in any context', () => {
    const unexpected = problems.filter(
      (problem) =>
        !expectedProblems.some(
          (expected) => expected.context === problem.context && expected.text.test(problem.text) && expected.url.test(problem.url ?? ''),
        ),
    );
    assert.deepEqual(unexpected, []);
  });
});
