// A push as lianjie sends it, signed (and in safe mode encrypted) for the developer server's
// ceiling run in bench/push: writes the request path to OUT.path and the body to OUT.body.
//   node bench/push-sample.mjs TOKEN OUT [AES_KEY APPID]
import crypto from 'node:crypto';
import { writeFileSync } from 'node:fs';

const [token, out, aesKey, appid] = process.argv.slice(2);
const sha1 = (parts) => crypto.createHash('sha1').update([...parts].sort().join('')).digest('hex');
const ts = String(Math.floor(Date.now() / 1000)), nonce = '123456789';
const openid = 'o' + crypto.randomBytes(20).toString('base64url').slice(0, 27);
const xml = `<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName>` +
    `<CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[bench message 12345]]></Content>` +
    `<MsgId>24000000000012345</MsgId></xml>`;
let path = `/wechat?signature=${sha1([token, ts, nonce])}&timestamp=${ts}&nonce=${nonce}&openid=${openid}`;
let body = xml;
if (aesKey) {
    const key = Buffer.from(aesKey + '=', 'base64').subarray(0, 32);
    const msg = Buffer.from(xml), len = Buffer.alloc(4);
    len.writeUInt32BE(msg.length);
    let plain = Buffer.concat([crypto.randomBytes(16), len, msg, Buffer.from(appid)]);
    const pad = 32 - (plain.length % 32);
    plain = Buffer.concat([plain, Buffer.alloc(pad, pad)]);
    const c = crypto.createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
    c.setAutoPadding(false);
    const enc = Buffer.concat([c.update(plain), c.final()]).toString('base64');
    path += `&encrypt_type=aes&msg_signature=${sha1([token, ts, nonce, enc])}`;
    body = `<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><Encrypt><![CDATA[${enc}]]></Encrypt></xml>`;
}
writeFileSync(out + '.path', path);
writeFileSync(out + '.body', body);
