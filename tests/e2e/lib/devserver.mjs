// A developer's message server on loopback, written the way a WeChat SDK user would: it
// checks every signature, decrypts AES pushes, records what it received and answers with
// whatever the test asks for (plain or encrypted passive replies, "success", silence...).
//
//   const dev = await startDevServer({ token: 'tok123', aesKey, appid });
//   dev.reply = (msg) => dev.text(msg, 'hello');   // or null for "success"
//   const msg = await dev.next();                   // the next push, parsed
//   await dev.close();
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

// flat-enough XML to an object: elements with children become objects, `item` lists arrays
export function parseXml(xml) {
    const re = /<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>|<(\w+)>|<\/(\w+)>/g;
    const root = {};
    const stack = [root];
    let m;
    while ((m = re.exec(xml))) {
        const top = stack[stack.length - 1];
        if (m[1]) {
            const v = m[2] !== undefined ? m[2] : m[3];
            add(top, m[1], v);
        } else if (m[4]) {
            const o = {};
            add(top, m[4], o);
            stack.push(o);
        } else if (m[5]) {
            stack.pop();
        }
    }
    return root.xml || root;
}

function add(obj, k, v) {
    if (k === 'item') {
        (obj.item ||= []).push(v);
    } else {
        obj[k] = v;
    }
}

export function randomAesKey() {
    const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (const b of crypto.randomBytes(43)) s += abc[b % abc.length];
    return s;
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
        this.server = http.createServer((req, res) => this.handle(req, res));
    }

    listen() {
        return new Promise((resolve) =>
            this.server.listen(0, '127.0.0.1', () => {
                this.port = this.server.address().port;
                this.url = `http://127.0.0.1:${this.port}/wechat`;
                resolve(this);
            }),
        );
    }

    close() {
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
            res.end(q.echostr || '');
            return;
        }
        let msg;
        try {
            msg = this.open(q, body);
        } catch (e) {
            this.rejected.push({ why: String(e.message || e), q, body });
            res.writeHead(400).end('bad push');
            return;
        }
        const record = { q, body, msg, headers: req.headers, at: Date.now() };
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
        if (typeof out === 'object' && out.raw !== undefined) out = out.raw;
        else if (q.encrypt_type === 'aes' && out !== 'success' && out !== '') out = this.seal(out);
        res.writeHead(200, { 'content-type': 'text/xml' }).end(out);
    }

    open(q, body) {
        if (q.encrypt_type !== 'aes') return parseXml(body);
        const enc = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(body)?.[1];
        if (!enc) throw new Error('no Encrypt element');
        if (sha1Sorted([this.token, q.timestamp, q.nonce, enc]) !== q.msg_signature)
            throw new Error('bad msg_signature');
        const { xml, appid } = decrypt(this.aesKey, enc);
        if (appid !== this.appid) throw new Error(`receive id ${appid}`);
        return { ...parseXml(xml), _plainBody: parseXml(body) };
    }

    seal(xml, timestamp = String(Math.floor(Date.now() / 1000)), nonce = '1234567') {
        const enc = encrypt(this.aesKey, this.appid, xml);
        const sig = sha1Sorted([this.token, timestamp, nonce, enc]);
        return (
            `<xml><Encrypt><![CDATA[${enc}]]></Encrypt><MsgSignature><![CDATA[${sig}]]></MsgSignature>` +
            `<TimeStamp>${timestamp}</TimeStamp><Nonce><![CDATA[${nonce}]]></Nonce></xml>`
        );
    }

    // a passive text reply to msg
    text(msg, content) {
        return (
            `<xml><ToUserName><![CDATA[${msg.FromUserName}]]></ToUserName>` +
            `<FromUserName><![CDATA[${msg.ToUserName}]]></FromUserName>` +
            `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime>` +
            `<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content></xml>`
        );
    }

    // resolves with the next push (or one already received and not yet taken)
    next(timeoutMs = 15000) {
        this.taken ||= 0;
        if (this.taken < this.received.length) return Promise.resolve(this.received[this.taken++]);
        return new Promise((resolve, reject) => {
            const t = setTimeout(() => reject(new Error('no push arrived')), timeoutMs);
            this.waiters.push((r) => {
                clearTimeout(t);
                this.taken++;
                resolve(r);
            });
        });
    }
}

export async function startDevServer(opts) {
    return new DevServer(opts).listen();
}
