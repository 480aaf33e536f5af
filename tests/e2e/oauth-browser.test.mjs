// Web authorization in a real browser: Debian's Chromium (/usr/bin/chromium) driven by
// playwright-core (tests/e2e/package.json; never a downloaded browser). A tiny HTTP server on
// 127.0.0.1 in this process is the redirect target ("the third-party site").
//
//   1. authorize with snsapi_userinfo -> sign-in page (typed) -> consent page -> Allow -> the
//      local page with a code -> exchange over HTTP -> sns/userinfo says "Alice"
//   2. qrconnect in one browser context, confirmed from a second one signed in as bob; the
//      first page follows the poll to the redirect by itself
//   3. the sign-in page's next parameter with a TAB must not take the browser off-site
//
// Skipped (with the reason) when /usr/bin/chromium or playwright-core is missing:
//   apt-get install -y chromium && (cd tests/e2e && npm ci)
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { after, afterEach, before, describe, it } from 'node:test';
import { startServer } from './lib/server.mjs';
import { authorizePath, demoWorld, exchange, ids, qrconnectPath, userinfo } from './lib/oauth.mjs';

const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
];

let playwright = null;
try {
    playwright = await import('playwright-core');
} catch {
    playwright = null;
}
const SKIP = !existsSync(CHROMIUM)
    ? `${CHROMIUM} is missing (apt-get install -y chromium)`
    : !playwright
      ? 'playwright-core is not installed (cd tests/e2e && npm ci)'
      : '';

/** the "third-party site": answers every GET with a small page and records what it got (not /favicon.ico) */
function startSite() {
    const hits = [];
    const server = http.createServer((req, res) => {
        if (req.url === '/favicon.ico') {
            res.writeHead(404);
            res.end();
            return;
        }
        hits.push(req.url);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><title>site</title><h1 id="landed">Landed</h1><p id="path">${req.url.replace(/[<&>"]/g, '')}</p>`);
    });
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            resolve({
                url: `http://127.0.0.1:${port}`,
                port,
                hits,
                close: () => new Promise((r) => server.close(() => r())),
            });
        });
    });
}

/** signs in on the lianjie sign-in page the page is on, typing like a person */
async function typeSignIn(page, username, password) {
    assert.equal(new URL(page.url()).pathname, '/app/login', `not on the sign-in page: ${page.url()}`);
    await page.locator('input[name="username"]').pressSequentially(username);
    await page.locator('input[name="password"]').pressSequentially(password);
    await Promise.all([
        page.waitForURL((u) => u.pathname !== '/app/login', { timeout: 10000 }),
        page.locator('button[type="submit"]').click(),
    ]);
}

describe('web authorization in a browser (Chromium via playwright-core)', () => {
    let srv = null;
    let browser = null;
    let site = null;
    let W = null;

    before(async () => {
        if (SKIP)
            return;
        srv = await startServer({ demo: true });
        W = demoWorld(srv);
        site = await startSite();
        browser = await playwright.chromium.launch({
            executablePath: CHROMIUM,
            headless: true,
            args: LAUNCH_ARGS,
            timeout: 30000,
        });
    });
    afterEach(async () => {
        if (srv)
            await srv.assertClean();
    });
    after(async () => {
        try {
            if (browser)
                await browser.close();
            if (site)
                await site.close();
        } finally {
            if (srv)
                await srv.stop();
        }
    });

    it('snsapi_userinfo: sign in by typing, consent, Allow, land on the site with a code, then sns/userinfo says Alice', async (t) => {
        if (SKIP) {
            t.skip(SKIP);
            return;
        }
        const context = await browser.newContext();
        try {
            const page = await context.newPage();
            const redirect_uri = `${site.url}/callback?app=1`;
            const url = `${srv.url}${authorizePath({ appid: W.service.appid, redirect_uri, scope: 'snsapi_userinfo', state: 'browser-1' })}`;
            await page.goto(url);

            // not signed in: the sign-in page, carrying the authorize request
            assert.equal(new URL(page.url()).origin, new URL(srv.url).origin);
            assert.equal(new URL(page.url()).pathname, '/app/login');
            await typeSignIn(page, 'alice', 'lianjie-demo');

            // the consent page
            assert.equal(new URL(page.url()).pathname, '/connect/oauth2/authorize', page.url());
            assert.equal(await page.locator('h1#account').textContent(), 'Demo Service Account');
            assert.equal(await page.locator('#deny').count(), 1);
            assert.equal(site.hits.length, 0, 'nothing reached the site before Allow');

            await Promise.all([
                page.waitForURL((u) => u.origin === site.url, { timeout: 10000 }),
                page.locator('#allow').click(),
            ]);
            await page.locator('#landed').waitFor();
            const landed = new URL(page.url());
            assert.equal(`${landed.origin}${landed.pathname}`, `${site.url}/callback`);
            assert.equal(landed.searchParams.get('app'), '1');
            assert.equal(landed.searchParams.get('state'), 'browser-1');
            const code = landed.searchParams.get('code');
            assert.match(code || '', /^[A-Za-z0-9_-]{16,}$/, page.url());
            assert.equal(site.hits.length, 1);
            assert.equal(site.hits[0], `${landed.pathname}${landed.search}`);

            // the site's back end exchanges the code and reads the profile
            const g = await exchange(srv, W.service.appid, W.service.secret, code);
            const alice = srv.banner.users.find((u) => u.username === 'alice');
            const want = await ids(srv, W.service.appid, alice.id);
            assert.equal(g.openid, want.openid);
            assert.equal(g.scope, 'snsapi_userinfo');
            assert.equal(g.unionid, want.unionid);
            const info = await userinfo(srv, g.access_token, g.openid);
            assert.equal(info.status, 200, info.text);
            assert.equal(info.body.nickname, 'Alice', info.text);
            assert.equal(info.body.openid, want.openid);

            // the consent is remembered: a second authorization goes straight to the site
            await page.goto(`${srv.url}${authorizePath({ appid: W.service.appid, redirect_uri, scope: 'snsapi_userinfo', state: 'browser-2' })}`);
            await page.waitForURL((u) => u.origin === site.url, { timeout: 10000 });
            assert.equal(new URL(page.url()).searchParams.get('state'), 'browser-2');
            assert.ok(new URL(page.url()).searchParams.get('code'));
        } finally {
            await context.close();
        }
    });

    it('qrconnect: confirmed from a second browser context signed in as bob, the first page follows to the redirect by itself', async (t) => {
        if (SKIP) {
            t.skip(SKIP);
            return;
        }
        const desktop = await browser.newContext();
        const phone = await browser.newContext();
        try {
            const page = await desktop.newPage();
            const redirect_uri = `${site.url}/website?from=qr`;
            await page.goto(`${srv.url}${qrconnectPath({ appid: W.website.appid, redirect_uri, state: 'qr-browser' })}`);
            const qr = page.locator('img#qr');
            await qr.waitFor();
            // the browser decodes the QR image
            await page.waitForFunction(() => {
                const img = document.querySelector('img#qr');
                return img && img.complete && img.naturalWidth > 0;
            }, null, { timeout: 10000 });
            assert.ok((await qr.evaluate((img) => img.naturalWidth)) >= 21);
            const href = await page.locator('a#confirm-url').getAttribute('href');
            assert.ok(href.startsWith(`${srv.url}/app/qrconnect?uuid=`), href);
            const hitsBefore = site.hits.length;

            // the phone: sign in as bob, then confirm
            const mobile = await phone.newPage();
            await mobile.goto(href);
            await typeSignIn(mobile, 'bob', 'lianjie-demo');
            assert.equal(`${new URL(mobile.url()).pathname}${new URL(mobile.url()).search}`, new URL(href).pathname + new URL(href).search);
            assert.equal(await mobile.locator('#app').textContent(), 'Demo Website');
            // the desktop page learns from its poll that the phone opened the link, and waits
            await page.locator('#status', { hasText: 'Scanned' }).waitFor({ timeout: 10000 });
            assert.equal(site.hits.length, hitsBefore, 'the desktop page waits until the phone confirms');
            assert.equal(new URL(page.url()).pathname, '/connect/qrconnect');
            await mobile.locator('#allow').click();
            await mobile.locator('h1#done').waitFor();
            assert.equal(await mobile.locator('h1#done').textContent(), 'Logged in');

            // the desktop page polls and goes to the site by itself
            await page.waitForURL((u) => u.origin === site.url, { timeout: 15000 });
            await page.locator('#landed').waitFor();
            const landed = new URL(page.url());
            assert.equal(`${landed.origin}${landed.pathname}`, `${site.url}/website`);
            assert.equal(landed.searchParams.get('from'), 'qr');
            assert.equal(landed.searchParams.get('state'), 'qr-browser');
            const code = landed.searchParams.get('code');
            assert.match(code || '', /^[A-Za-z0-9_-]{16,}$/, page.url());

            const g = await exchange(srv, W.website.appid, W.website.secret, code);
            const bob = srv.banner.users.find((u) => u.username === 'bob');
            assert.equal(g.scope, 'snsapi_login');
            assert.equal(g.openid, (await ids(srv, W.website.appid, bob.id)).openid);
            assert.equal(g.unionid, (await ids(srv, W.service.appid, bob.id)).unionid);
            assert.equal((await userinfo(srv, g.access_token, g.openid)).body.nickname, 'Bob');
        } finally {
            await desktop.close();
            await phone.close();
        }
    });

    it('signing in with next=/<TAB>/host:port/... keeps the browser on lianjie (no open redirect)', async (t) => {
        if (SKIP) {
            t.skip(SKIP);
            return;
        }
        // The "other site" is the local test server on another port of 127.0.0.1: another
        // origin, and no traffic leaves the machine.
        const context = await browser.newContext();
        try {
            const page = await context.newPage();
            const next = `/\t/127.0.0.1:${site.port}/pwned`;
            await page.goto(`${srv.url}/app/login?next=${encodeURIComponent(next)}`);
            await typeSignIn(page, 'alice', 'lianjie-demo');
            await page.waitForLoadState('load');
            const now = new URL(page.url());
            assert.equal(
                now.origin,
                new URL(srv.url).origin,
                `after signing in with next=${JSON.stringify(next)} the browser is on ${page.url()}`,
            );
            assert.ok(!site.hits.includes('/pwned'), 'the browser reached the other site');
        } finally {
            await context.close();
        }
    });
});
