// Helpers for the third-party platform tests: a component registered with a third-party
// server on loopback, its tickets and tokens, a merchant account administered by a signed-in
// user, and an authorization approved on the page and exchanged for an authorizer token.
import assert from 'node:assert/strict';
import { randomAesKey, startDevServer } from './devserver.mjs';
import { get, newUser, postForm, signIn } from './oauth.mjs';

/** a component registered over the operator API with a third-party server on loopback */
export async function newComponent(srv, extra = {}) {
    const token = `ct${Math.random().toString(36).slice(2, 10)}`;
    const aesKey = randomAesKey();
    const dev = await startDevServer({ token, aesKey, appid: '' });
    const r = await srv.op('POST', '/admin/v1/components', {
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
export async function nextTicket(dev) {
    const rec = await dev.next();
    assert.equal(rec.msg.InfoType, 'component_verify_ticket', rec.xml);
    return rec;
}

export function componentToken(srv, c, ticket, secret = c.comp.component_appsecret) {
    return srv.post('/cgi-bin/component/api_component_token', {
        component_appid: c.comp.component_appid,
        component_appsecret: secret,
        component_verify_ticket: ticket,
    });
}

/** a component holding a component token (c.ctoken) */
export async function tokenedComponent(srv, extra = {}) {
    const c = await newComponent(srv, extra);
    const t = (await nextTicket(c.dev)).msg.ComponentVerifyTicket;
    c.ctoken = (await componentToken(srv, c, t)).body.component_access_token;
    assert.ok(c.ctoken);
    return c;
}

/** an account administered by a new signed-in user: {acct, user, cookie} */
export async function administered(srv, fields = { type: 'service', verified: true }) {
    const acct = await srv.createAccount(fields);
    const user = await newUser(srv);
    const r = await srv.op('POST', '/admin/v1/accounts/admin', { appid: acct.appid, user_id: user.id });
    assert.equal(r.body?.errcode, 0, r.text);
    const cookie = await signIn(srv, user.username, user.password);
    return { acct, user, cookie };
}

/** a component with a token, and an account administered by a signed-in user */
export async function authSetup(srv, extra = {}) {
    const c = await tokenedComponent(srv, extra);
    return { c, ...(await administered(srv)) };
}

export async function preauth(srv, c) {
    const r = await srv.post(`/cgi-bin/component/api_create_preauthcode?component_access_token=${c.ctoken}`,
        { component_appid: c.comp.component_appid });
    return r.body.pre_auth_code;
}

export function pageUrl(c, code, redirect, extra = {}, path = '/cgi-bin/componentloginpage') {
    const q = new URLSearchParams({ component_appid: c.comp.component_appid, pre_auth_code: code,
        redirect_uri: redirect, auth_type: '3', ...extra });
    return `${path}?${q}`;
}

/** the hidden fields of the page's form */
export function formOf(html) {
    const f = {};
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
        f[m[1]] = m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
    return f;
}

export function queryAuth(srv, c, code) {
    return srv.post(`/cgi-bin/component/api_query_auth?component_access_token=${c.ctoken}`,
        { component_appid: c.comp.component_appid, authorization_code: code });
}

/** a component call with its token and component_appid in the body */
export function capi(srv, c, name, body) {
    return srv.post(`/cgi-bin/component/${name}?component_access_token=${c.ctoken}`,
        { component_appid: c.comp.component_appid, ...body });
}

/**
 * The administrator of s.acct approves component c on the page with `sets` ticked and c
 * trades the auth code: the authorization_info (authorizer token, refresh token, func_info).
 */
export async function approve(srv, c, s, sets) {
    const code = await preauth(srv, c);
    const page = await get(srv, pageUrl(c, code, 'http://127.0.0.1:9/back'), s.cookie);
    assert.equal(page.status, 200, page.text.slice(0, 300));
    const res = await postForm(srv, '/cgi-bin/componentloginpage',
        { ...formOf(page.text), authorizer_appid: s.acct.appid, ...sets }, s.cookie);
    assert.equal(res.status, 302, res.text.slice(0, 300));
    const ev = await c.dev.next();
    assert.match(ev.msg.InfoType, /^(update)?authorized$/);
    const q = await queryAuth(srv, c, new URL(res.location).searchParams.get('auth_code'));
    assert.ok(q.body.authorization_info, q.text);
    return q.body.authorization_info;
}

/** an authorization approved in the page and exchanged: {c, acct, user, cookie, info} */
export async function authorized(srv, sets = { set_1: '1', set_2: '1', set_15: '1' }, extra = {}) {
    const s = await authSetup(srv, { domains: ['127.0.0.1'], ...extra });
    s.info = await approve(srv, s.c, s, sets);
    return s;
}
