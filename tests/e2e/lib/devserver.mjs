// A developer's message server on loopback, written the way a WeChat SDK user would: it
// checks every signature, decrypts AES pushes, records what it received and answers with
// whatever the test asks for (plain or encrypted passive replies, "success", silence...).
//
//   const dev = await startDevServer({ token: 'tok123', aesKey, appid });
//   dev.reply = (msg) => dev.text(msg, 'hello');   // or null for "success", or
//                                                   // {raw, status, delayMs, contentType}
//   const msg = await dev.next();                   // the next push: {q, body, msg, xml, ...}
//   await dev.close();
//
// dev.failNext hangs that many pushes, dev.onVerify answers the URL handshake, seal() and
// passive() build replies (also broken ones), xmlShape() tells the layout of a push.
import crypto from 'node:crypto';
import http from 'node:http';

export function sha1Sorted(parts) {
    return crypto.createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

export function aesKeyBytes(encodingAesKey) {
    return Buffer.from(encodingAesKey + '=', 'base64').subarray(0, 32);
}

export function encrypt(encodingAesKey, appid, xml, random = crypto.randomBytes(16)) {
    const key = aesKeyBytes(encodingAesKey);
    const msg = Buffer.from(xml);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(msg.length);
    let plain = Buffer.concat([random, len, msg, Buffer.from(appid)]);
    const pad = 32 - (plain.length % 32);
    plain = Buffer.concat([plain, Buffer.alloc(pad, pad)]);
    const c = crypto.createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
    c.setAutoPadding(false);
    return Buffer.concat([c.update(plain), c.final()]).toString('base64');
}

export function decrypt(encodingAesKey, b64) {
    const key = aesKeyBytes(encodingAesKey);
    const d = crypto.createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    d.setAutoPadding(false);
    let p = Buffer.concat([d.update(Buffer.from(b64, 'base64')), d.final()]);
    const pad = p[p.length - 1];
    if (pad < 1 || pad > 32) throw new Error('bad padding');
    p = p.subarray(0, p.length - pad);
    const len = p.readUInt32BE(16);
    return { xml: p.subarray(20, 20 + len).toString(), appid: p.subarray(20 + len).toString() };
}

// XML tokens: open and close tags, CDATA sections and text (entities decoded)
function* xmlTokens(xml) {
    const re = /<!\[CDATA\[([\s\S]*?)\]\]>|<\/(\w+)\s*>|<(\w+)\s*(\/?)>|<[?!][^>]*>|([^<]+)/g;
    let m;
    while ((m = re.exec(xml))) {
        if (m[1] !== undefined) yield { cdata: m[1] };
        else if (m[2]) yield { close: m[2] };
        else if (m[3]) {
            yield { open: m[3] };
            if (m[4]) yield { close: m[3] };
        } else if (m[5] !== undefined) yield { text: decodeEntities(m[5]) };
    }
}

function decodeEntities(s) {
    const named = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (all, e) => {
        if (e[0] !== '#') return named[e] ?? all;
        return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    });
}

// the element tree: {name, children, text, cdata}; text is the CDATA sections joined (when
// there are any: whitespace outside them does not count) or else the text
function xmlTree(xml) {
    const root = { name: '', children: [], text: '', cdata: false };
    const stack = [root];
    for (const t of xmlTokens(xml)) {
        const top = stack[stack.length - 1];
        if (t.open) {
            const n = { name: t.open, children: [], text: '', cdata: false };
            top.children.push(n);
            stack.push(n);
        } else if (t.close) {
            if (stack.length > 1) stack.pop();
        } else if (t.cdata !== undefined) {
            top.text = (top.cdata ? top.text : '') + t.cdata;
            top.cdata = true;
        } else {
            if (!top.cdata) top.text += t.text;
            else top.text += t.text.trim();
        }
    }
    return root.children.length === 1 && root.children[0].name === 'xml' ? root.children[0] : root;
}

// flat-enough XML to an object: elements with children become objects, `item` lists arrays;
// CDATA split around "]]>" is joined again, whitespace around CDATA dropped
export function parseXml(xml) {
    const conv = (n) => {
        if (!n.children.length) return n.text;
        const o = {};
        for (const c of n.children) add(o, c.name, conv(c));
        return o;
    };
    return conv(xmlTree(xml));
}

function add(obj, k, v) {
    if (k === 'item') {
        (obj.item ||= []).push(v);
    } else {
        obj[k] = v;
    }
}

/**
 * The layout of an XML document as WeChat's docs describe it: each element as `Name:s`
 * (CDATA), `Name:n` (a bare number), `Name:t` (other bare text), `Name:e` (empty), or
 * `{Name: [children]}`.
 */
export function xmlShape(xml) {
    const conv = (n) =>
        n.children.map((c) => {
            if (c.children.length) return { [c.name]: conv(c) };
            if (c.cdata) return `${c.name}:s`;
            const t = c.text.trim();
            if (!t) return `${c.name}:e`;
            return `${c.name}:${/^-?\d+(\.\d+)?$/.test(t) ? 'n' : 't'}`;
        });
    return conv(xmlTree(xml));
}

/** <![CDATA[v]]>, split where v holds "]]>" */
export function cdata(v) {
    return `<![CDATA[${String(v).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

export function randomAesKey() {
    const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (const b of crypto.randomBytes(43)) s += abc[b % abc.length];
    return s;
}

const live = new Set();

/** closes every DevServer still listening (for an after() hook: a failed test leaves its own) */
export async function closeDevServers() {
    await Promise.all([...live].map((d) => d.close()));
}

export class DevServer {
    constructor({ token, aesKey = '', appid }) {
        Object.assign(this, { token, aesKey, appid });
        this.received = [];
        this.rejected = [];
        this.waiters = [];
        this.reply = null; // (msg) => string | null
        this.delayMs = 0; // answer later than this
        this.failNext = 0; // hang (never answer in time) this many pushes
        this.onVerify = null; // (query) => the answer to the URL handshake (see answer())
        this.verifications = []; // the queries of the handshakes received
        this.server = http.createServer((req, res) => this.handle(req, res));
    }

    listen() {
        return new Promise((resolve) =>
            this.server.listen(0, '127.0.0.1', () => {
                this.port = this.server.address().port;
                this.url = `http://127.0.0.1:${this.port}/wechat`;
                // a server a failed test forgot to close never keeps the test process alive
                this.server.unref();
                this.server.on('connection', (sock) => sock.unref());
                live.add(this);
                resolve(this);
            }),
        );
    }

    close() {
        if (!live.delete(this)) return Promise.resolve();
        this.server.closeAllConnections?.();
        return new Promise((resolve) => this.server.close(() => resolve()));
    }

    async handle(req, res) {
        const u = new URL(req.url, 'http://x');
        const q = Object.fromEntries(u.searchParams);
        const chunks = [];
        for await (const c of req) chunks.push(c);
        const body = Buffer.concat(chunks).toString();
        if (sha1Sorted([this.token, q.timestamp || '', q.nonce || '']) !== q.signature) {
            this.rejected.push({ why: 'signature', q, body });
            res.writeHead(401).end('bad signature');
            return;
        }
        if (req.method === 'GET') {
            this.verifications.push(q);
            await this.answer(res, this.onVerify ? this.onVerify(q) : q.echostr || '');
            return;
        }
        let opened;
        try {
            opened = this.openRaw(q, body);
        } catch (e) {
            this.rejected.push({ why: String(e.message || e), q, body });
            res.writeHead(400).end('bad push');
            return;
        }
        const msg = opened.msg;
        const record = { path: u.pathname, q, body, msg, xml: opened.xml, receiveId: opened.receiveId, headers: req.headers, at: Date.now() };
        this.received.push(record);
        const w = this.waiters.shift();
        if (w) w(record);
        if (this.failNext > 0) {
            this.failNext--;
            return; // never answers: lianjie times out after 5 s
        }
        if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
        let out = this.reply ? this.reply(msg, record) : 'success';
        if (out === null || out === undefined) out = 'success';
        if (typeof out === 'string' && q.encrypt_type === 'aes' && out !== 'success' && out !== '')
            out = this.seal(out);
        await this.answer(res, out);
    }

    // writes a string, or {raw, status = 200, delayMs, contentType}
    async answer(res, out) {
        const o = typeof out === 'object' ? out : { raw: out };
        if (o.delayMs) await new Promise((r) => setTimeout(r, o.delayMs));
        if (res.destroyed) return;
        res.writeHead(o.status || 200, { 'content-type': o.contentType || 'text/xml' }).end(o.raw ?? '');
    }

    // {msg, xml, receiveId}: the parsed push, its plaintext XML and (AES) the receive id
    openRaw(q, body) {
        if (q.encrypt_type !== 'aes') return { msg: parseXml(body), xml: body, receiveId: null };
        const enc = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(body)?.[1];
        if (!enc) throw new Error('no Encrypt element');
        if (sha1Sorted([this.token, q.timestamp, q.nonce, enc]) !== q.msg_signature)
            throw new Error('bad msg_signature');
        const { xml, appid } = decrypt(this.aesKey, enc);
        if (appid !== this.appid) throw new Error(`receive id ${appid}`);
        return { msg: { ...parseXml(xml), _plainBody: parseXml(body) }, xml, receiveId: appid };
    }

    open(q, body) {
        return this.openRaw(q, body).msg;
    }

    /**
     * The encrypted reply envelope of xml. opts: appid (the receive id), aesKey, token,
     * signature (a MsgSignature to send instead of the right one), pad (whitespace around
     * the CDATA sections).
     */
    seal(xml, timestamp = String(Math.floor(Date.now() / 1000)), nonce = '1234567', opts = {}) {
        const enc = encrypt(opts.aesKey || this.aesKey, opts.appid || this.appid, xml);
        const sig = opts.signature || sha1Sorted([opts.token || this.token, timestamp, nonce, enc]);
        const w = opts.pad || '';
        const cd = (v) => `${w}<![CDATA[${v}]]>${w}`;
        return (
            `<xml><Encrypt>${cd(enc)}</Encrypt><MsgSignature>${cd(sig)}</MsgSignature>` +
            `<TimeStamp>${timestamp}</TimeStamp><Nonce>${cd(nonce)}</Nonce></xml>`
        );
    }

    /**
     * A passive reply to msg of msgType with the elements in `inner` (XML text). opts: to,
     * from (override the addressees), createTime.
     */
    passive(msg, msgType, inner = '', opts = {}) {
        return (
            `<xml><ToUserName>${cdata(opts.to ?? msg.FromUserName)}</ToUserName>` +
            `<FromUserName>${cdata(opts.from ?? msg.ToUserName)}</FromUserName>` +
            `<CreateTime>${opts.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime>` +
            `<MsgType>${cdata(msgType)}</MsgType>${inner}</xml>`
        );
    }

    // a passive text reply to msg
    text(msg, content, opts = {}) {
        return this.passive(msg, 'text', `<Content>${cdata(content)}</Content>`, opts);
    }

    // resolves with the next push (or one already received and not yet taken)
    next(timeoutMs = 15000) {
        this.taken ||= 0;
        if (this.taken < this.received.length) return Promise.resolve(this.received[this.taken++]);
        return new Promise((resolve, reject) => {
            const w = (r) => {
                clearTimeout(t);
                this.taken++;
                resolve(r);
            };
            const t = setTimeout(() => {
                this.waiters = this.waiters.filter((x) => x !== w);
                reject(new Error('no push arrived'));
            }, timeoutMs);
            this.waiters.push(w);
        });
    }
}

export async function startDevServer(opts) {
    return new DevServer(opts).listen();
}
