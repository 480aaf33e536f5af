// The web client (/app/) in headless Chromium (Debian's /usr/bin/chromium through
// playwright-core), plus plain HTTP checks of how its files are served and of the CSRF rule
// for the cookie session.
//
//   HTTP: content types of the pages, styles and scripts; 404 for a missing file; ".."
//         never leaves the web directory; pages send a visitor without a session to sign in;
//         the client API takes the lj_session cookie, and a cookie-authenticated POST needs
//         X-Requested-With and a same-origin Origin (bearer callers are unaffected).
//   Browser: sign in by typing, search an account, follow it (the developer server gets
//         subscribe), send a text and see the developer server's passive reply (text, then
//         news articles) in the chat, history, unfollow (unsubscribe); message kinds render
//         as text, never markup; a foreign page on another port cannot post as the user; the
//         scan page decodes a QR image with jsQR.
//
// The browser part is skipped (with the reason) when /usr/bin/chromium or playwright-core is
// missing: apt-get install -y chromium && (cd tests/e2e && npm ci)
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { rawRequest, startServer } from './lib/server.mjs';
import { client, newClientUser, uploadMedia, wiredAccount } from './lib/messaging.mjs';
import { demoWorld, get, postForm, qrconnectPath, sessionCookie } from './lib/oauth.mjs';

const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PASSWORD = 'pw-123456'; // newClientUser's

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

/** a signed-in user: {id, username, auth (bearer headers), cookie ('lj_session=...')} */
async function cookieUser(srv) {
    const u = await newClientUser(srv);
    const res = await postForm(srv, '/app/login', { username: u.username, password: PASSWORD, next: '/app' });
    assert.equal(res.status, 302, res.text);
    u.cookie = sessionCookie(res);
    assert.ok(u.cookie);
    return u;
}

/** the accounts a user follows, asked with the bearer session */
async function followed(srv, u) {
    const r = await srv.get('/client/v1/chats', { headers: u.auth });
    assert.equal(r.body?.errcode, 0, r.text);
    return r.body.accounts.map((a) => a.appid);
}

/** a page on another port of 127.0.0.1 (same site, other origin), serving `html` */
function startForeignSite(html) {
    const server = http.createServer((req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(html);
    });
    return new Promise((resolve) =>
        server.listen(0, '127.0.0.1', () =>
            resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(() => r())) }),
        ),
    );
}

const news = (msg, articles) =>
    `<xml><ToUserName><![CDATA[${msg.FromUserName}]]></ToUserName><FromUserName><![CDATA[${msg.ToUserName}]]></FromUserName>` +
    `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[news]]></MsgType><ArticleCount>${articles.length}</ArticleCount><Articles>` +
    articles.map((a) => `<item><Title><![CDATA[${a.title}]]></Title><Description><![CDATA[${a.description}]]></Description><PicUrl><![CDATA[${a.picurl}]]></PicUrl><Url><![CDATA[${a.url}]]></Url></item>`).join('') +
    `</Articles></xml>`;

describe('web client', () => {
    let srv = null;
    let browser = null;
    let W = null;
    const cleanups = [];

    before(async () => {
        srv = await startServer({ demo: true });
        W = demoWorld(srv);
        if (!SKIP)
            browser = await playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS, timeout: 30000 });
    });
    afterEach(async () => {
        while (cleanups.length)
            await cleanups.pop()();
        await srv.assertClean();
    });
    after(async () => {
        try {
            if (browser)
                await browser.close();
        } finally {
            await srv.stop();
        }
    });

    describe('files over HTTP', () => {
        it('serves styles, scripts and the vendor files with their content types', async () => {
            const want = [
                ['/app/static/app.css', /^text\/css/],
                ['/app/static/common.js', /^text\/javascript/],
                ['/app/static/chat.js', /^text\/javascript/],
                ['/app/vendor/weui.min.css', /^text\/css/],
                ['/app/vendor/jsQR.js', /^text\/javascript/],
            ];
            for (const [p, type] of want) {
                const r = await srv.get(p);
                assert.equal(r.status, 200, `${p}: ${r.status} ${r.text.slice(0, 200)}`);
                assert.match(r.headers.get('content-type'), type, p);
                assert.equal(r.headers.get('x-content-type-options'), 'nosniff', p);
                assert.ok(r.text.length > 100, p);
            }
            assert.match((await srv.get('/app/vendor/weui.min.css')).text, /WeUI v2/);
            assert.match((await srv.get('/app/vendor/jsQR.js')).text, /jsQR/);
            const head = await srv.fetch('/app/static/app.css', { method: 'HEAD' });
            assert.equal(head.status, 200);
            const etag = head.headers.get('etag');
            assert.ok(etag, 'static files carry an ETag');
            const again = await srv.fetch('/app/static/app.css', { headers: { 'if-none-match': etag } });
            assert.equal(again.status, 304);
        });

        it('answers the pages as HTML with a CSP once signed in, and sends others to sign in', async () => {
            const u = await cookieUser(srv);
            for (const p of ['/app/accounts', '/app/chat?appid=wx0000000000000000', '/app/history', '/app/scan']) {
                const anon = await get(srv, p);
                assert.equal(anon.status, 302, p);
                assert.equal(anon.location, `/app/login?next=${encodeURIComponent(p)}`);
                const page = await get(srv, p, u.cookie);
                assert.equal(page.status, 200, `${p}: ${page.text.slice(0, 200)}`);
                assert.match(page.headers.get('content-type'), /^text\/html; charset=utf-8/);
                assert.match(page.headers.get('content-security-policy'), /script-src 'self'/);
                assert.match(page.text, /<link rel="stylesheet" href="\/app\/vendor\/weui\.min\.css">/);
                assert.ok(!/<script>/.test(page.text), `${p} has no inline script`);
            }
            const home = await get(srv, '/app', u.cookie);
            assert.equal(home.status, 200);
            assert.match(home.text, /weui\.min\.css/);
            assert.match(home.text, /id="chats"/);
        });

        it('answers a missing file with 404', async () => {
            for (const p of ['/app/static/nope.js', '/app/static/', '/app/static/img/none.png', '/app/vendor/none.css', '/app/nope', '/app/chat.html']) {
                const r = await srv.get(p);
                assert.equal(r.status, 404, `${p}: ${r.status}`);
                assert.equal(r.body?.errcode, 404, `${p}: ${r.text.slice(0, 200)}`);
            }
        });

        it('never serves a file outside the web directory, however ".." is written', async () => {
            const attempts = [
                '/app/static/../../Makefile',
                '/app/static/../../../Makefile',
                '/app/static/%2e%2e/%2e%2e/Makefile',
                '/app/static/%2E%2E/%2E%2E/%2E%2E/Makefile',
                '/app/static/..%2f..%2fpackage.json',
                '/app/static/..%2f..%2f..%2fMakefile',
                '/app/static/%2e%2e%2f%2e%2e%2fpackage.json',
                '/app/static/..%5c..%5cpackage.json',
                '/app/static/....//....//Makefile',
                '/app/static/.%2e/.%2e/Makefile',
                '/app/vendor/../../web/package.json',
                '/app/static/../chat.html',
                '/app/static/%00../../Makefile',
                '/app/static//etc/passwd',
                '/app/static/../../../../../../etc/passwd',
            ];
            for (const p of attempts) {
                const r = await rawRequest(srv.port, `GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
                assert.ok(r, `${p}: no answer`);
                assert.ok(r.status === 404 || r.status === 400 || r.status === 403, `${p}: ${r.status} ${r.text.slice(0, 200)}`);
                assert.ok(!/PKGS|lianjie-web|root:x:0|<main/.test(r.text), `${p} leaked a file: ${r.text.slice(0, 200)}`);
            }
        });
    });

    describe('cookie session and CSRF', () => {
        it('takes the cookie on GETs, and a cookie POST only with X-Requested-With from this origin', async () => {
            const acct = await srv.createAccount({ type: 'service', verified: true });
            const u = await cookieUser(srv);
            const me = await srv.get('/client/v1/me', { headers: { cookie: u.cookie } });
            assert.equal(me.status, 200, me.text);
            assert.equal(me.body.user.username, u.username);

            const refused = [
                { cookie: u.cookie },
                { cookie: u.cookie, origin: srv.url },
                { cookie: u.cookie, 'x-requested-with': 'XMLHttpRequest', origin: 'http://evil.example' },
                { cookie: u.cookie, 'x-requested-with': 'XMLHttpRequest', origin: `http://127.0.0.1:${srv.port === 1 ? 2 : srv.port - 1}` },
                { cookie: u.cookie, 'x-requested-with': 'XMLHttpRequest', origin: 'null' },
                { cookie: u.cookie, 'x-requested-with': '', origin: srv.url },
            ];
            for (const headers of refused) {
                const r = await srv.post('/client/v1/follow', { appid: acct.appid }, { headers });
                assert.equal(r.status, 403, `${JSON.stringify(headers)}: ${r.status} ${r.text}`);
                assert.equal(r.body?.errcode, 403, r.text);
                assert.match(r.body.errmsg, /cross-site/);
            }
            // what an HTML form can send: text/plain, no custom header
            const form = await srv.fetch('/client/v1/follow', {
                method: 'POST',
                headers: { cookie: u.cookie, 'content-type': 'text/plain', origin: 'http://127.0.0.1:1' },
                body: JSON.stringify({ appid: acct.appid }),
            });
            assert.equal(form.status, 403);
            assert.deepEqual(await followed(srv, u), [], 'no refused POST followed the account');

            const ok = await srv.post('/client/v1/follow', { appid: acct.appid }, { headers: { cookie: u.cookie, 'x-requested-with': 'XMLHttpRequest', origin: srv.url } });
            assert.equal(ok.status, 200, ok.text);
            assert.equal(ok.body.followed_now, true);
            const noOrigin = await srv.post('/client/v1/unfollow', { appid: acct.appid }, { headers: { cookie: u.cookie, 'x-requested-with': 'fetch' } });
            assert.equal(noOrigin.status, 200, noOrigin.text);
            assert.deepEqual(await followed(srv, u), []);
        });

        it('leaves bearer callers alone, and a bad bearer is not rescued by a good cookie', async () => {
            const acct = await srv.createAccount({ type: 'service', verified: true });
            const u = await cookieUser(srv);
            const r = await srv.post('/client/v1/follow', { appid: acct.appid }, { headers: { ...u.auth, origin: 'http://evil.example' } });
            assert.equal(r.status, 200, r.text);
            const bad = await srv.get('/client/v1/me', { headers: { authorization: 'Bearer nope', cookie: u.cookie } });
            assert.equal(bad.status, 401);
            const none = await srv.get('/client/v1/me', { headers: { cookie: 'lj_session=nope' } });
            assert.equal(none.status, 401);
            assert.equal(none.body.errcode, 401);
        });

        it('signs the cookie session out and clears the cookie', async () => {
            const u = await cookieUser(srv);
            const out = await srv.post('/client/v1/logout', {}, { headers: { cookie: u.cookie, 'x-requested-with': 'XMLHttpRequest' } });
            assert.equal(out.status, 200, out.text);
            assert.match(out.headers.get('set-cookie') || '', /^lj_session=;.*Max-Age=0/);
            const me = await srv.get('/client/v1/me', { headers: { cookie: u.cookie } });
            assert.equal(me.status, 401);
            const bearer = await srv.get('/client/v1/me', { headers: u.auth });
            assert.equal(bearer.status, 200, 'the other session lives on');
        });
    });

    describe('in Chromium', () => {
        /** a new browser context; closed after the test */
        async function newPage() {
            const context = await browser.newContext({ viewport: { width: 390, height: 780 } });
            cleanups.push(() => context.close());
            const page = await context.newPage();
            page.errors = [];
            page.on('pageerror', (e) => page.errors.push(String(e)));
            page.on('dialog', (d) => d.dismiss());
            return page;
        }

        async function signInTyping(page, username, password = PASSWORD) {
            assert.equal(new URL(page.url()).pathname, '/app/login', page.url());
            await page.locator('input[name="username"]').pressSequentially(username);
            await page.locator('input[name="password"]').pressSequentially(password);
            await Promise.all([page.waitForURL((u) => u.pathname !== '/app/login', { timeout: 10000 }), page.locator('button[type="submit"]').click()]);
        }

        it('sign in, search, follow, chat with the developer server, history, unfollow', async (t) => {
            if (SKIP)
                return t.skip(SKIP);
            const { acct, dev } = await wiredAccount(srv);
            cleanups.push(() => dev.close());
            const u = await newClientUser(srv);
            let replies = 0;
            dev.reply = (msg) => {
                if (msg.MsgType !== 'text')
                    return null;
                if (++replies === 1)
                    return dev.text(msg, `echo: ${msg.Content}`);
                // a reply to a message carries one article (spec/messaging.md §6)
                return news(msg, [{ title: 'First <b>article</b>', description: 'one', picurl: 'http://127.0.0.1:1/a.png', url: 'https://example.com/a' }]);
            };
            const page = await newPage();

            // signing in from the chats page
            await page.goto(`${srv.url}/app`);
            await signInTyping(page, u.username);
            assert.equal(new URL(page.url()).pathname, '/app');
            await page.locator('#chats-empty').waitFor();

            // search and follow
            await page.locator('#tab-accounts').click();
            await page.waitForURL((x) => x.pathname === '/app/accounts');
            await page.locator('#q').pressSequentially(acct.name.slice(0, 10));
            const row = page.locator(`.lj-account[data-appid="${acct.appid}"]`);
            await page.waitForFunction(() => document.querySelectorAll('.lj-account').length === 1, null, { timeout: 10000 });
            await row.waitFor();
            assert.equal(new URL(page.url()).searchParams.get('q'), acct.name.slice(0, 10), 'the search is in the URL');
            assert.equal(await row.locator('.lj-account__name').textContent(), acct.name);
            await row.locator('button.lj-follow', { hasText: /^Follow$/ }).click();
            await row.locator('button.lj-follow', { hasText: /^Unfollow$/ }).waitFor();
            const sub = await dev.next();
            assert.equal(sub.msg.Event, 'subscribe');
            assert.deepEqual(await followed(srv, u), [acct.appid]);

            // the chat
            await Promise.all([page.waitForURL((x) => x.pathname === '/app/chat'), row.locator('.lj-account__name').click()]);
            assert.equal(new URL(page.url()).searchParams.get('appid'), acct.appid);
            // the page fills in the account once accounts/get answers
            await page.waitForFunction((n) => document.querySelector('#name')?.textContent === n, acct.name, { timeout: 10000 });
            assert.equal(await page.locator('#name').textContent(), acct.name);
            assert.equal(await page.locator('#follow').textContent(), 'Unfollow');
            assert.equal(await page.locator('#menu').isHidden(), true, 'no menu for an account without one');
            const evil = '<img src=x onerror="window.__pwned=1">';
            await page.locator('#text').fill(`hello\nworld ${evil}`);
            await page.locator('#send').click();
            const push = await dev.next();
            assert.equal(push.msg.MsgType, 'text');
            assert.equal(push.msg.Content, `hello\nworld ${evil}`);
            const mine = page.locator('.lj-msg_user .lj-text').first();
            await mine.waitFor();
            assert.equal(await mine.textContent(), `hello\nworld ${evil}`);
            assert.equal(await mine.evaluate((e) => getComputedStyle(e).whiteSpace), 'pre-wrap');
            const reply = page.locator('.lj-msg_account .lj-text', { hasText: 'echo: hello' });
            await reply.waitFor({ timeout: 15000 });
            assert.equal(await reply.textContent(), `echo: hello\nworld ${evil}`);
            assert.equal(await page.locator('.lj-messages img').count(), 0, 'message text never became markup');
            assert.equal(await page.evaluate(() => window.__pwned), undefined);
            assert.equal(await page.locator('#text').inputValue(), '', 'the composer is cleared');

            // a second text: the developer server answers with news articles
            await page.locator('#text').fill('news please');
            await page.locator('#text').press('Enter');
            await dev.next();
            const cards = page.locator('.lj-msg_account .lj-news .lj-card');
            await cards.first().waitFor({ timeout: 15000 });
            assert.equal(await cards.count(), 1);
            assert.equal(await cards.nth(0).getAttribute('href'), 'https://example.com/a');
            assert.equal(await cards.nth(0).locator('.lj-card__title').textContent(), 'First <b>article</b>');
            assert.equal(await cards.nth(0).locator('img').getAttribute('src'), 'http://127.0.0.1:1/a.png');
            assert.equal(await page.locator('.lj-msg').count(), 4);

            // the chats page lists the account; history shows the whole chat
            await page.goto(`${srv.url}/app`);
            await page.locator(`.lj-chatrow[data-appid="${acct.appid}"]`).waitFor();
            await page.goto(`${srv.url}/app/history?appid=${acct.appid}`);
            await page.locator('#count', { hasText: '4 messages' }).waitFor();
            assert.equal(await page.locator('.lj-day').count(), 1);
            await page.locator('#filter').fill('ECHO');
            await page.locator('#count', { hasText: '1 of 4 messages' }).waitFor();

            // unfollow from the chat
            await page.goto(`${srv.url}/app/chat?appid=${acct.appid}`);
            await page.locator('.lj-msg').nth(3).waitFor();
            await page.locator('#follow', { hasText: /^Unfollow$/ }).click();
            await page.locator('#follow', { hasText: /^Follow$/ }).waitFor();
            assert.equal(await page.locator('#notice').isVisible(), true);
            const unsub = await dev.next();
            assert.equal(unsub.msg.Event, 'unsubscribe');
            assert.deepEqual(await followed(srv, u), []);
            assert.deepEqual(page.errors, []);
        });

        it('shows what the account sends (customer-service messages) in the open chat as it arrives', async (t) => {
            if (SKIP)
                return t.skip(SKIP);
            const acct = await srv.createAccount({ type: 'service', verified: true });
            const u = await newClientUser(srv);
            const f = await client.follow(srv, u, acct.appid); // opens a window of 3 messages
            assert.equal(f.body.errcode, 0, f.text);
            const tok = (await srv.token(acct.appid, acct.secret)).access_token;
            const send = async (body) => {
                const r = await srv.post(`/cgi-bin/message/custom/send?access_token=${tok}`, { touser: f.body.openid, ...body });
                assert.equal(r.body?.errcode, 0, r.text);
            };
            const page = await newPage();
            await page.goto(`${srv.url}/app/chat?appid=${acct.appid}`);
            await signInTyping(page, u.username);
            await page.locator('#follow', { hasText: /^Unfollow$/ }).waitFor();
            await page.locator('#empty').waitFor();

            await send({ msgtype: 'text', text: { content: 'Welcome!\nReply 1 for news' } });
            const first = page.locator('.lj-msg_account .lj-text');
            await first.waitFor({ timeout: 10000 });
            assert.equal(await first.textContent(), 'Welcome!\nReply 1 for news');
            await send({ msgtype: 'news', news: { articles: [{ title: 'Launch', description: 'It is out', url: 'https://example.com/launch', picurl: 'https://example.com/p.jpg' }] } });
            const thumb = await uploadMedia(srv, tok, 'thumb');
            await send({ msgtype: 'music', music: { title: 'Song', description: 'Live', musicurl: 'http://example.com/s.mp3', hqmusicurl: 'http://example.com/s-hq.mp3', thumb_media_id: thumb } });
            await page.locator('.lj-msg_account').nth(2).waitFor({ timeout: 10000 });
            const news = page.locator('.lj-msg_account .lj-news .lj-card');
            assert.equal(await news.getAttribute('href'), 'https://example.com/launch');
            assert.equal(await news.locator('.lj-card__title').textContent(), 'Launch');
            const music = page.locator('.lj-msg[data-msgtype="music"] .lj-card');
            assert.equal(await music.getAttribute('href'), 'http://example.com/s-hq.mp3');
            assert.match(await music.textContent(), /Song/);
            assert.deepEqual(await page.locator('.lj-msg').evaluateAll((els) => els.map((e) => e.dataset.source)), ['custom', 'custom', 'custom']);
            assert.deepEqual(page.errors, []);
        });

        it("shows the account's menu from accounts/get and sends taps to menu/click (both intercepted)", async (t) => {
            if (SKIP)
                return t.skip(SKIP);
            const acct = await srv.createAccount({ type: 'service', verified: true });
            const u = await newClientUser(srv);
            assert.equal((await client.follow(srv, u, acct.appid)).body.errcode, 0);
            const page = await newPage();
            const landing = `${srv.url}/healthz`;
            const menu = {
                button: [
                    { type: 'click', name: 'Today', key: 'V1001_TODAY' },
                    { name: 'More <b>', sub_button: [{ type: 'view', name: 'Site', url: landing }, { type: 'click', name: 'Like', key: 'V1001_GOOD' }, { type: 'view', name: 'Bad', url: 'javascript:alert(1)' }] },
                ],
            };
            const clicks = [];
            await page.route('**/client/v1/accounts/get?*', (r) => r.fulfill({ json: { errcode: 0, errmsg: 'ok', appid: acct.appid, name: acct.name, menu } }));
            await page.route('**/client/v1/menu/click', (r) => {
                clicks.push({ body: JSON.parse(r.request().postData()), xrw: r.request().headers()['x-requested-with'] });
                return r.fulfill({ json: { errcode: 0, errmsg: 'ok' } });
            });
            await page.goto(`${srv.url}/app/chat?appid=${acct.appid}`);
            await signInTyping(page, u.username);
            const bar = page.locator('#menu');
            await bar.waitFor();
            assert.deepEqual(await bar.locator('.lj-menu__button').allTextContents(), ['Today', '≡ More <b>']);
            await bar.locator('.lj-menu__button', { hasText: 'Today' }).click();
            await bar.locator('.lj-menu__button', { hasText: 'More' }).click();
            await bar.locator('.lj-menu__sub', { hasText: 'Like' }).click();
            assert.equal(await bar.locator('.lj-menu__popup').isHidden(), true, 'a tap closes the sub-menu');
            await bar.locator('.lj-menu__button', { hasText: 'More' }).click();
            await bar.locator('.lj-menu__sub', { hasText: 'Bad' }).click();
            assert.equal(new URL(page.url()).pathname, '/app/chat', 'a javascript: url is never opened');
            await bar.locator('.lj-menu__button', { hasText: 'More' }).click();
            await Promise.all([page.waitForURL(landing), bar.locator('.lj-menu__sub', { hasText: 'Site' }).click()]);
            assert.deepEqual(
                clicks.map((c) => c.body),
                [
                    { appid: acct.appid, type: 'click', key: 'V1001_TODAY' },
                    { appid: acct.appid, type: 'click', key: 'V1001_GOOD' },
                    { appid: acct.appid, type: 'view', url: 'javascript:alert(1)' },
                    { appid: acct.appid, type: 'view', url: landing },
                ],
            );
            assert.ok(clicks.every((c) => c.xrw === 'XMLHttpRequest'));

            // accounts/get answering 404 (a server without it): no menu, the chat still works
            const other = await newPage();
            await other.route('**/client/v1/accounts/get?*', (r) => r.fulfill({ status: 404, json: { errcode: 404, errmsg: 'not found' } }));
            await other.goto(`${srv.url}/app`);
            await signInTyping(other, u.username);
            await other.goto(`${srv.url}/app/chat?appid=${acct.appid}`);
            await other.locator('#follow', { hasText: /^Unfollow$/ }).waitFor();
            assert.equal(await other.locator('#menu').isHidden(), true);
            assert.equal(await other.locator('#composer').isVisible(), true);
            assert.deepEqual(page.errors, []);
            assert.deepEqual(other.errors, []);
        });

        it('renders every message kind from data as text, links only to http(s)', async (t) => {
            if (SKIP)
                return t.skip(SKIP);
            const u = await newClientUser(srv);
            const page = await newPage();
            await page.goto(`${srv.url}/app/scan`);
            await signInTyping(page, u.username);
            await page.locator('#tab-scan').waitFor();
            const out = await page.evaluate(() => {
                const x = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
                const at = Math.floor(Date.now() / 1000);
                const msgs = [
                    { msgtype: 'text', body: { content: `a\nb${x}` } },
                    { msgtype: 'image', body: { pic_url: 'https://example.com/p.png' } },
                    { msgtype: 'image', body: { pic_url: 'javascript:alert(1)' } },
                    { msgtype: 'voice', body: { media_id: 'm' } },
                    { msgtype: 'video', body: { title: x, description: 'd' } },
                    { msgtype: 'location', body: { latitude: 23.1, longitude: 113.3, label: x } },
                    { msgtype: 'link', body: { title: x, description: x, url: 'javascript:alert(3)' } },
                    { msgtype: 'link', body: { title: 't', url: 'https://example.com/l' } },
                    { msgtype: 'music', body: { title: x, musicurl: 'http://example.com/m.mp3' } },
                    { msgtype: 'news', body: { articles: [{ title: x, description: x, picurl: 'data:text/html,x', url: 'https://example.com/n' }] } },
                    { msgtype: 'text', source: 'system', body: { content: `system ${x}` } },
                    { msgtype: 'weird<b>', body: { content: x } },
                    { msgtype: 'text', body: null },
                    { msgtype: 'news', body: { articles: 'nope' } },
                ];
                const box = document.createElement('div');
                document.body.append(box);
                msgs.forEach((m, i) => box.append(LJ.renderMessage({ id: i + 1, from: i % 2 ? 'account' : 'user', source: 'custom', created_at: at, ...m })));
                const hrefs = [...box.querySelectorAll('[href]')].map((e) => e.getAttribute('href'));
                const srcs = [...box.querySelectorAll('[src]')].map((e) => e.getAttribute('src'));
                return {
                    scripts: box.querySelectorAll('script').length,
                    bold: box.querySelectorAll('b').length,
                    hrefs,
                    srcs,
                    text: box.textContent,
                    kinds: [...box.children].map((e) => e.className),
                    pwned: window.__pwned,
                };
            });
            assert.equal(out.scripts, 0);
            assert.equal(out.bold, 0);
            assert.equal(out.pwned, undefined);
            assert.deepEqual(out.srcs, ['https://example.com/p.png']);
            for (const h of out.hrefs)
                assert.match(h, /^https?:\/\//, h);
            assert.ok(out.hrefs.includes('https://example.com/l') && out.hrefs.includes('https://example.com/n') && out.hrefs.includes('http://example.com/m.mp3'));
            for (const word of ['[Voice]', '[Video]', 'Location', '♪', '[Image]', 'system <script>', '[weird<b>]', '23.10000, 113.30000'])
                assert.ok(out.text.includes(word), `${word} in ${out.text}`);
            assert.equal(out.kinds.filter((k) => k === 'lj-notice').length, 1);
            assert.deepEqual(page.errors, []);
        });

        it('a page on another port of the same host cannot post as the signed-in user', async (t) => {
            if (SKIP)
                return t.skip(SKIP);
            const acct = await srv.createAccount({ type: 'service', verified: true });
            const u = await newClientUser(srv);
            const target = `${srv.url}/client/v1/follow`;
            const body = JSON.stringify({ appid: acct.appid });
            const site = await startForeignSite(
                `<!doctype html><body><form id="f" method="post" action="${target}" enctype="text/plain">` +
                    `<input type="hidden" name='${body.slice(0, -2)}' value='${body.slice(-2)}'></form>` +
                    `<p id="fetch"></p><script>
                    fetch(${JSON.stringify(target)}, { method: 'POST', credentials: 'include', mode: 'cors',
                        headers: { 'X-Requested-With': 'XMLHttpRequest', 'Content-Type': 'application/json' }, body: ${JSON.stringify(body)} })
                      .then((r) => (document.getElementById('fetch').textContent = 'status ' + r.status))
                      .catch((e) => (document.getElementById('fetch').textContent = 'blocked'));
                    </script></body>`,
            );
            cleanups.push(() => site.close());
            const page = await newPage();
            await page.goto(`${srv.url}/app`);
            await signInTyping(page, u.username);
            await page.goto(site.url);
            await page.locator('#fetch', { hasText: /blocked|status/ }).waitFor();
            assert.equal(await page.locator('#fetch').textContent(), 'blocked', 'the preflight is never granted');
            const [res] = await Promise.all([page.waitForResponse((r) => r.url() === target), page.locator('#f').evaluate((f) => f.submit())]);
            assert.equal(res.status(), 403);
            assert.deepEqual(await followed(srv, u), [], 'the foreign page followed nothing');
        });

        it('the scan page decodes a QR image with jsQR and answers what the scan did', async (t) => {
            if (SKIP)
                return t.skip(SKIP);
            const u = await newClientUser(srv);
            // a website-login QR code of this server (the demo website app): the scan opens
            // its confirm page
            const qr = await get(srv, qrconnectPath({ appid: W.website.appid, redirect_uri: 'http://127.0.0.1:1/cb', state: 's' }));
            assert.equal(qr.status, 200, qr.text.slice(0, 300));
            const src = /<img\b[^>]*\bid="qr"[^>]*\bsrc="([^"]+)"/.exec(qr.text)?.[1] || /<img\b[^>]*\bsrc="([^"]+)"[^>]*\bid="qr"/.exec(qr.text)?.[1];
            assert.ok(src, 'the qrconnect page shows a QR image');
            const png = await srv.fetch(src.replace(/&amp;/g, '&'));
            assert.equal(png.status, 200);
            const dir = mkdtempSync(path.join(os.tmpdir(), 'lj-scan-'));
            cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
            const file = path.join(dir, 'qr.png');
            writeFileSync(file, Buffer.from(await png.arrayBuffer()));

            const page = await newPage();
            await page.goto(`${srv.url}/app/scan`);
            await signInTyping(page, u.username);
            await Promise.all([page.waitForURL((x) => x.pathname === '/app/qrconnect', { timeout: 15000 }), page.locator('#image').setInputFiles(file)]);
            assert.ok(new URL(page.url()).searchParams.get('uuid'));

            // a pasted ticket this server never issued says so, in words
            await page.goto(`${srv.url}/app/scan`);
            await page.locator('#code').fill('gQH47joAAAAAAAAAASxodHRwOi8vd2VpeGluLnFxLmNvbS9xL2taZ2Z3TVRtNzJXV1Brb3ZhYmJJAAIEZ23sUwMEmm3sUw==');
            await page.locator('#go').click();
            await page.locator('#scan-error').waitFor();
            assert.equal(await page.locator('#result .lj-result__title').textContent(), 'This code is unknown to this server.');

            // a scene code of an account not followed: its profile first, as WeChat shows it;
            // Follow follows it with the scene, and the chat opens
            const w = await wiredAccount(srv);
            const tok = (await srv.token(w.acct.appid, w.acct.secret)).access_token;
            const qc = await srv.post(`/cgi-bin/qrcode/create?access_token=${tok}`, { action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 77 } } });
            assert.ok(qc.body?.url, qc.text);
            await page.locator('#code').fill(qc.body.url);
            await page.locator('#go').click();
            await page.locator('#scan-profile').waitFor();
            assert.equal(await page.locator('#profile-name').textContent(), w.acct.name);
            assert.doesNotMatch(await page.locator('#result').textContent(), /openid|followed_now|wx[0-9a-f]{16}/);
            assert.equal(w.dev.received.length, 0, 'looking at the account told it nothing');
            await Promise.all([page.waitForURL((x) => x.pathname === '/app/chat'), page.locator('#follow').click()]);
            const sub = await w.dev.next();
            assert.deepEqual([sub.msg.Event, sub.msg.EventKey], ['subscribe', 'qrscene_77']);
            // scanning it again, now following: straight to the chat, and the account hears SCAN
            await page.goto(`${srv.url}/app/scan`);
            await page.locator('#code').fill(qc.body.url);
            await Promise.all([page.waitForURL((x) => x.pathname === '/app/chat'), page.locator('#go').click()]);
            const again = await w.dev.next();
            assert.deepEqual([again.msg.Event, again.msg.EventKey], ['SCAN', '77']);
            // an image without a QR code says so
            await page.goto(`${srv.url}/app/scan`);
            const blank = path.join(dir, 'blank.png');
            writeFileSync(blank, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
            await page.locator('#image').setInputFiles(blank);
            await page.locator('#lj-toptips', { hasText: 'No QR code' }).waitFor();
            assert.deepEqual(page.errors, []);
        });
    });
});
