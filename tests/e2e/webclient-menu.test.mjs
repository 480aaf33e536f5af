// Every menu button type, tapped in the web client in Chromium: the developer's server gets
// the event the spec names, with what the user gave (a scanned code typed or read from a
// picture, a photo, a location). Cancelling sends nothing.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer } from './lib/server.mjs';
import { client, newClientUser, wiredAccount } from './lib/messaging.mjs';
import { postForm, sessionCookie } from './lib/oauth.mjs';

const CHROMIUM = '/usr/bin/chromium';
let playwright = null;
try {
    playwright = await import('playwright-core');
} catch {
    playwright = null;
}
const SKIP = !existsSync(CHROMIUM) ? `${CHROMIUM} is missing` : !playwright ? 'playwright-core is not installed' : '';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

describe('menu buttons in the web client', { skip: SKIP || false }, () => {
    let srv;
    let browser;
    let w;
    let tok;
    let page;
    let dir;

    before(async () => {
        srv = await startServer({});
        browser = await playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
        dir = mkdtempSync(path.join(os.tmpdir(), 'lj-menu-'));
        w = await wiredAccount(srv);
        tok = (await srv.token(w.acct.appid, w.acct.secret)).access_token;
        const menu = {
            button: [
                { name: 'Scan', sub_button: [{ type: 'scancode_push', name: 'Scan push', key: 'K_PUSH' }, { type: 'scancode_waitmsg', name: 'Scan wait', key: 'K_WAIT' }] },
                { name: 'Photo', sub_button: [{ type: 'pic_sysphoto', name: 'Camera', key: 'K_CAM' }, { type: 'pic_photo_or_album', name: 'Album', key: 'K_ALB' }, { type: 'pic_weixin', name: 'WeChat album', key: 'K_WX' }] },
                { type: 'location_select', name: 'Where', key: 'K_LOC' },
            ],
        };
        assert.equal((await srv.post(`/cgi-bin/menu/create?access_token=${tok}`, menu)).body.errcode, 0);
        const u = await newClientUser(srv);
        await client.follow(srv, u, w.acct.appid);
        assert.equal((await w.dev.next()).msg.Event, 'subscribe');
        const res = await postForm(srv, '/app/login', { username: u.username, password: 'pw-123456', next: '/app/' });
        const [name, value] = sessionCookie(res).split('=');
        const context = await browser.newContext({ viewport: { width: 390, height: 780 } });
        await context.addCookies([{ name, value, url: srv.url }]);
        page = await context.newPage();
        await page.goto(`${srv.url}/app/chat?appid=${w.acct.appid}`);
        await page.locator('.lj-menu__button').first().waitFor();
    });
    after(async () => {
        if (browser)
            await browser.close();
        await srv.stop();
        rmSync(dir, { recursive: true, force: true });
    });

    const open = async (top, sub) => {
        await page.locator('.lj-menu__button', { hasText: top }).click();
        if (sub)
            await page.getByRole('menuitem', { name: sub, exact: true }).click();
    };

    it('scancode_push and scancode_waitmsg send ScanCodeInfo with the code typed or read from a picture', async () => {
        await open('Scan', 'Scan push');
        await page.locator('#tap-scan').waitFor();
        await page.locator('#tap-scan-text').fill('hello-code');
        await page.locator('#tap-scan-send').click();
        let p = await w.dev.next();
        assert.deepEqual([p.msg.Event, p.msg.EventKey], ['scancode_push', 'K_PUSH']);
        assert.deepEqual(p.msg.ScanCodeInfo, { ScanType: 'qrcode', ScanResult: 'hello-code' });
        // a picture of one of this server's QR codes: its URL is the result
        const qc = await srv.post(`/cgi-bin/qrcode/create?access_token=${tok}`, { action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 9 } } });
        const png = await srv.fetch(`/cgi-bin/showqrcode?ticket=${encodeURIComponent(qc.body.ticket)}`);
        const file = path.join(dir, 'qr.png');
        writeFileSync(file, Buffer.from(await png.arrayBuffer()));
        await open('Scan', 'Scan wait');
        await page.locator('#tap-scan').waitFor();
        await page.locator('#tap-scan-image').setInputFiles(file);
        p = await w.dev.next();
        assert.deepEqual([p.msg.Event, p.msg.EventKey], ['scancode_waitmsg', 'K_WAIT']);
        assert.equal(p.msg.ScanCodeInfo.ScanResult, qc.body.url);
        assert.ok(await page.locator('#sheet').isHidden());
    });

    it('pic_sysphoto, pic_photo_or_album and pic_weixin send SendPicsInfo with the photo the user picked', async () => {
        const file = path.join(dir, 'p.png');
        writeFileSync(file, PNG);
        for (const [sub, event, key] of [['Camera', 'pic_sysphoto', 'K_CAM'], ['Album', 'pic_photo_or_album', 'K_ALB'], ['WeChat album', 'pic_weixin', 'K_WX']]) {
            const [chooser] = await Promise.all([page.waitForEvent('filechooser'), open('Photo', sub)]);
            await chooser.setFiles(file);
            let p = await w.dev.next();
            assert.deepEqual([p.msg.Event, p.msg.EventKey], [event, key]);
            assert.equal(p.msg.SendPicsInfo.Count, '1');
            assert.match(p.msg.SendPicsInfo.PicList.item[0].PicMd5Sum, /^[0-9a-f]{32}$/);
            p = await w.dev.next(); // and the photo itself, as an image message
            assert.equal(p.msg.MsgType, 'image');
        }
    });

    it('location_select sends SendLocationInfo; a cancelled sheet sends nothing', async () => {
        await open('Where');
        await page.locator('#tap-location').waitFor();
        await page.locator('#sheet-cancel').click();
        assert.ok(await page.locator('#sheet').isHidden());
        await open('Where');
        await page.locator('#tap-lat').fill('23.1291');
        await page.locator('#tap-lng').fill('113.2644');
        await page.locator('#tap-label').fill('Canton Tower');
        if (process.env.LIANJIE_SCREENSHOTS)
            await page.screenshot({ path: path.join(process.env.LIANJIE_SCREENSHOTS, 'menu-location-sheet.png') });
        await page.locator('#tap-location-send').click();
        const p = await w.dev.next();
        assert.deepEqual([p.msg.Event, p.msg.EventKey], ['location_select', 'K_LOC']);
        assert.equal(Number(p.msg.SendLocationInfo.Location_X), 23.1291);
        assert.equal(p.msg.SendLocationInfo.Label, 'Canton Tower');
        // Escape closes the sheet too, and sends nothing
        await open('Where');
        await page.keyboard.press('Escape');
        assert.ok(await page.locator('#sheet').isHidden());
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(w.dev.received.length, w.dev.taken, 'nothing more was pushed');
    });
});
