// Sign-up: a new user makes their own account, on the page (then signed in by cookie) or over
// the client API (a bearer session); usernames are checked, taken ones refused, sign-ups
// limited per address; `--no-signup` turns it off everywhere.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { useServer } from './lib/server.mjs';
import { get, postForm, sessionCookie } from './lib/oauth.mjs';

const CHROMIUM = '/usr/bin/chromium';
let playwright = null;
try {
    playwright = await import('playwright-core');
} catch {
    playwright = null;
}
const name = (p) => `${p}${Math.random().toString(36).slice(2, 9)}`;

describe('sign-up', () => {
    const h = useServer({ testClock: true });

    it('makes a user and a session over the client API, and refuses a taken name or bad fields', async () => {
        const { srv } = h;
        const username = name('api');
        const r = await srv.post('/client/v1/signup', { username, password: 'secret-1', nickname: '小明' });
        assert.equal(r.body?.errcode, 0, r.text);
        assert.equal(r.body.user.username, username);
        assert.equal(r.body.user.nickname, '小明');
        const me = await srv.get('/client/v1/me', { headers: { authorization: `Bearer ${r.body.session}` } });
        assert.equal(me.body?.user?.username, username);
        const login = await srv.post('/client/v1/login', { username, password: 'secret-1' });
        assert.ok(login.body?.session, 'the password signs in');
        assert.equal((await srv.post('/client/v1/signup', { username, password: 'other-pw' })).status, 409);
        for (const body of [{ username: 'ab', password: 'secret-1' }, { username: 'bad name', password: 'secret-1' }, { username: name('s'), password: '12345' }, { username: name('s') }]) {
            const bad = await srv.post('/client/v1/signup', body);
            assert.notEqual(bad.body?.errcode, 0, JSON.stringify(body));
            assert.ok(!bad.body?.session);
        }
    });

    it('signs the new user in from the page, by cookie', async () => {
        const { srv } = h;
        const page = await get(srv, '/app/login');
        assert.match(page.text, /href="\/app\/signup"/);
        const username = name('pg');
        const res = await postForm(srv, '/app/signup', { username, password: 'secret-2', nickname: 'Page User' });
        assert.equal(res.status, 302, res.text.slice(0, 300));
        const cookie = sessionCookie(res);
        assert.ok(cookie);
        const home = await get(srv, '/app/', cookie);
        assert.match(home.text, /Page User/);
        const taken = await postForm(srv, '/app/signup', { username, password: 'secret-2' });
        assert.equal(taken.status, 409);
        assert.match(taken.text, /taken/);
    });

    it('limits sign-ups to 10 a minute from one address', async () => {
        const { srv } = h;
        const { now } = await srv.clock();
        await srv.advance(60 - (now % 60));
        let refused = 0;
        for (let i = 0; i < 11; i++) {
            const r = await srv.post('/client/v1/signup', { username: name('lim'), password: 'secret-3' });
            if (r.status === 429)
                refused++;
        }
        assert.ok(refused >= 1, 'the 11th is refused');
        await srv.advance(61);
        assert.equal((await srv.post('/client/v1/signup', { username: name('lim'), password: 'secret-3' })).body?.errcode, 0);
    });

    it('works in Chromium: from the sign-in page to the chats', { skip: !existsSync(CHROMIUM) || !playwright ? 'no Chromium' : false }, async () => {
        const { srv } = h;
        await srv.advance(61);
        const browser = await playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
        try {
            const page = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
            await page.goto(`${srv.url}/app/`);
            await page.locator('#to-signup').click();
            const username = name('br');
            await page.locator('#username').fill(username);
            await page.locator('#nickname').fill('Browser User');
            await page.locator('#password').fill('secret-4');
            await Promise.all([page.waitForURL((u) => u.pathname === '/app/'), page.locator('#signup').click()]);
            assert.equal(await page.locator('#me').textContent(), 'Browser User');
            if (process.env.LIANJIE_SCREENSHOTS) {
                await page.goto(`${srv.url}/app/signup`);
                await page.screenshot({ path: `${process.env.LIANJIE_SCREENSHOTS}/signup.png` });
            }
        } finally {
            await browser.close();
        }
    });
});

describe('sign-up turned off', () => {
    const h = useServer({ noSignup: true });

    it('refuses the page form and the client API, and the sign-in page offers none', async () => {
        const { srv } = h;
        const r = await srv.post('/client/v1/signup', { username: name('off'), password: 'secret-1' });
        assert.equal(r.status, 403);
        const form = await postForm(srv, '/app/signup', { username: name('off'), password: 'secret-1' });
        assert.equal(form.status, 403);
        assert.equal(sessionCookie(form), '');
        assert.match((await get(srv, '/app/signup')).text, /id="signup-off"/);
        assert.doesNotMatch((await get(srv, '/app/login')).text, /\/app\/signup/);
    });
});
