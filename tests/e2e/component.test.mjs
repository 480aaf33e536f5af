// Third-party platforms (spec/component.md), as a third-party developer sees them: the
// operator registers a component, lianjie pushes it an encrypted component_verify_ticket
// every 10 minutes of the (test) clock, the component trades it for a component token and
// asks for pre-auth codes.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectErr, useServer } from './lib/server.mjs';
import { closeDevServers, decrypt, parseXml, randomAesKey, sha1Sorted, startDevServer } from './lib/devserver.mjs';

const h = useServer({ testClock: true });
after(closeDevServers);
const srv = () => h.srv;

/** a component registered over the operator API with a third-party server on loopback */
async function newComponent(extra = {}) {
    const token = `ct${Math.random().toString(36).slice(2, 10)}`;
    const aesKey = randomAesKey();
    const dev = await startDevServer({ token, aesKey, appid: '' });
    const r = await srv().op('POST', '/admin/v1/components', {
        name: 'Third Party Co',
        token,
        encoding_aes_key: aesKey,
        auth_event_url: `${dev.url}/auth-event`,
        message_url: `${dev.url}/$APPID$/msg`,
        func_sets: [1, 2, 15],
        domains: ['tp.example.com'],
        ...extra,
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.errcode, 0, r.text);
    const comp = r.body.component;
    dev.appid = comp.component_appid;
    return { comp, dev, token, aesKey };
}

/** the next ticket push: its decrypted fields */
async function nextTicket(dev) {
    const rec = await dev.next();
    assert.equal(rec.msg.InfoType, 'component_verify_ticket', rec.xml);
    return rec;
}

function componentToken(c, ticket, secret = c.comp.component_appsecret) {
    return srv().post('/cgi-bin/component/api_component_token', {
        component_appid: c.comp.component_appid,
        component_appsecret: secret,
        component_verify_ticket: ticket,
    });
}

describe('operator registration', () => {
    test('creates a component with a wx appid and a secret, lists and gets it', async () => {
        const { comp } = await newComponent();
        assert.match(comp.component_appid, /^wx[0-9a-f]{16}$/);
        assert.match(comp.component_appsecret, /^[0-9a-f]{32}$/);
        assert.deepEqual(comp.func_sets, [1, 2, 15]);
        const list = await srv().op('GET', '/admin/v1/components');
        assert.equal(list.status, 200);
        assert.ok(list.body.components.some((c) => c.component_appid === comp.component_appid));
        const one = await srv().op('GET', `/admin/v1/components/get?appid=${comp.component_appid}`);
        assert.equal(one.body.component.name, 'Third Party Co');
        assert.equal(one.body.component.message_url.endsWith('/$APPID$/msg'), true);
        const none = await srv().op('GET', '/admin/v1/components/get?appid=wx0000000000000000');
        assert.equal(none.status, 404);
    });

    test('refuses bad input with 400 and needs the operator key', async () => {
        const base = { name: 'x', token: 'tok123', encoding_aes_key: randomAesKey(), auth_event_url: 'http://127.0.0.1:1/e' };
        for (const bad of [
            { ...base, name: '' },
            { ...base, token: 'a b' },
            { ...base, encoding_aes_key: 'short' },
            { ...base, auth_event_url: 'ftp://x' },
            { ...base, func_sets: ['x'] },
            { ...base, func_sets: 7 },
            { ...base, component_appid: 'nope' },
        ]) {
            const r = await srv().op('POST', '/admin/v1/components', bad);
            assert.equal(r.status, 400, `${JSON.stringify(bad)}: ${r.text}`);
        }
        const r = await srv().post('/admin/v1/components', base);
        assert.equal(r.status, 401);
    });

    test('an appid already used by an account or a component is refused', async () => {
        const acct = await srv().createAccount();
        const base = { name: 'x', token: 'tok123', encoding_aes_key: randomAesKey(), auth_event_url: 'http://127.0.0.1:1/e' };
        const r = await srv().op('POST', '/admin/v1/components', { ...base, component_appid: acct.appid });
        assert.equal(r.status, 409, r.text);
        const appid = 'wx' + Math.random().toString(16).slice(2, 10).padEnd(8, '0') + 'c0ffee00';
        const ok = await srv().op('POST', '/admin/v1/components', { ...base, component_appid: appid });
        assert.equal(ok.body.component.component_appid, appid, ok.text);
        const again = await srv().op('POST', '/admin/v1/components', { ...base, component_appid: appid });
        assert.equal(again.status, 409);
    });
});

describe('component_verify_ticket and the component token', () => {
    test('the ticket arrives encrypted with AppId outside, and again after 10 minutes', async () => {
        const c = await newComponent();
        const first = await nextTicket(c.dev);
        assert.equal(first.q.encrypt_type, 'aes');
        assert.equal(first.q.openid, undefined);
        assert.equal(first.receiveId, c.comp.component_appid);
        const outer = parseXml(first.body);
        assert.equal(outer.AppId, c.comp.component_appid);
        assert.equal(outer.ToUserName, undefined);
        assert.equal(first.msg.AppId, c.comp.component_appid);
        assert.match(first.msg.ComponentVerifyTicket, /^ticket@@@/);
        assert.match(first.msg.CreateTime, /^\d+$/);
        // an SDK re-wrapping AppId as ToUserName decrypts the same
        const enc = outer.Encrypt;
        assert.equal(sha1Sorted([c.token, first.q.timestamp, first.q.nonce, enc]), first.q.msg_signature);
        assert.equal(decrypt(c.aesKey, enc).appid, c.comp.component_appid);

        await new Promise((r) => setTimeout(r, 1500));
        assert.equal(c.dev.received.length, 1, 'no second ticket before 10 minutes');
        await srv().advance(600);
        const second = await nextTicket(c.dev);
        assert.notEqual(second.msg.ComponentVerifyTicket, first.msg.ComponentVerifyTicket);
        // both tickets work
        for (const t of [first, second]) {
            const r = await componentToken(c, t.msg.ComponentVerifyTicket);
            assert.equal(typeof r.body.component_access_token, 'string', r.text);
            assert.equal(r.body.expires_in, 7200);
        }
    });

    test('api_component_token errors: appid, secret, ticket, expiry', async () => {
        const c = await newComponent();
        const t = (await nextTicket(c.dev)).msg.ComponentVerifyTicket;
        expectErr(await componentToken(c, t, 'f'.repeat(32)), 40125);
        expectErr(await componentToken(c, 'ticket@@@nope'), 61006);
        expectErr(await srv().post('/cgi-bin/component/api_component_token', {
            component_appid: 'wx0000000000000000', component_appsecret: 'x', component_verify_ticket: t,
        }), 61011);
        expectErr(await srv().post('/cgi-bin/component/api_component_token', {}), 61011);
        expectErr(await srv().post('/cgi-bin/component/api_component_token', 'not json'), 47001);
        const other = await newComponent();
        expectErr(await componentToken(other, t), 61006); // a ticket is per component
        expectErr(await srv().get('/cgi-bin/component/api_component_token'), 43002);
        await srv().advance(12 * 3600 + 1);
        expectErr(await componentToken(c, t), 61005);
    });

    test('the component token creates pre-auth codes; account tokens and bad tokens do not', async () => {
        const c = await newComponent();
        const t = (await nextTicket(c.dev)).msg.ComponentVerifyTicket;
        const tok = (await componentToken(c, t)).body.component_access_token;
        const body = { component_appid: c.comp.component_appid };
        for (const q of ['component_access_token', 'access_token']) {
            const r = await srv().post(`/cgi-bin/component/api_create_preauthcode?${q}=${encodeURIComponent(tok)}`, body);
            assert.match(r.body.pre_auth_code, /^preauthcode@@@/, r.text);
            assert.equal(r.body.expires_in, 1800);
        }
        expectErr(await srv().post('/cgi-bin/component/api_create_preauthcode', body), 41001);
        expectErr(await srv().post('/cgi-bin/component/api_create_preauthcode?component_access_token=nope', body), 40001);
        const acct = await srv().createAccount();
        const at = (await srv().token(acct.appid, acct.secret)).access_token;
        expectErr(await srv().post(`/cgi-bin/component/api_create_preauthcode?access_token=${at}`, body), 40001);
        expectErr(await srv().post(`/cgi-bin/component/api_create_preauthcode?component_access_token=${tok}`,
            { component_appid: 'wx0000000000000000' }), 61011);
        // a component token is not an account token
        expectErr(await srv().get(`/cgi-bin/getcallbackip?access_token=${tok}`), 40001);
        // a new token leaves the old one 5 minutes
        const tok2 = (await componentToken(c, t)).body.component_access_token;
        assert.notEqual(tok2, tok);
        await srv().advance(301);
        expectErr(await srv().post(`/cgi-bin/component/api_create_preauthcode?component_access_token=${tok}`, body), 42001);
        const ok = await srv().post(`/cgi-bin/component/api_create_preauthcode?component_access_token=${tok2}`, body);
        assert.match(ok.body.pre_auth_code, /^preauthcode@@@/, ok.text);
        await srv().advance(7200);
        expectErr(await srv().post(`/cgi-bin/component/api_create_preauthcode?component_access_token=${tok2}`, body), 42001);
    });
});
