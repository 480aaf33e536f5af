// What a request may send is decided from its head, before its body is read: its route's
// limit (1 MiB unless an upload route's own), an upload route's larger limit only with a
// valid access_token, and a cap on all bodies in flight. So floods of large unauthenticated
// posts are answered at once, unread, and the process stays small.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { describe, it } from 'node:test';
import { RawConn, useServer } from './lib/server.mjs';

const MiB = 1024 * 1024;

/** sends a POST head declaring `length` body bytes (and `first` of them); the answer that
 * comes within ms without the rest of the body, or null */
async function headOnly(port, path, length, { first = '', ms = 2000, headers = '' } = {}) {
    const c = await new RawConn(port).connect();
    try {
        await c.send(`POST ${path} HTTP/1.1\r\nHost: lianjie\r\n${headers}Content-Length: ${length}\r\n\r\n${first}`);
        if (!(await c.waitData(ms)))
            return null;
        return await c.read(ms);
    } finally {
        c.close();
    }
}

/** the server's peak resident memory so far (VmHWM), in bytes */
function peakRss(pid) {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Number(m[1]) * 1024;
}

/** sends a whole POST of `length` bytes as fast as the server reads it; resolves when the
 * connection ends, whatever happened */
function blast(port, path, length) {
    return new Promise((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => {
            s.write(`POST ${path} HTTP/1.1\r\nHost: lianjie\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`);
            const chunk = Buffer.alloc(MiB, 0x61);
            let sent = 0;
            const more = () => {
                while (sent < length) {
                    sent += chunk.length;
                    if (!s.write(chunk))
                        return s.once('drain', more);
                }
                return undefined;
            };
            more();
        });
        s.on('error', () => resolve());
        s.on('close', () => resolve());
        s.setTimeout(15000, () => s.destroy());
    });
}

async function metric(srv, name) {
    const text = await (await srv.fetch('/metrics')).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return Number(line.split(' ')[1]);
}

describe('request intake', () => {
    const h = useServer({});
    let token;

    async function tok(srv) {
        if (!token) {
            const a = await srv.createAccount();
            token = (await srv.token(a.appid, a.secret)).access_token;
        }
        return token;
    }

    it('answers a 20 MB post to a route with the default limit at once, from its head', async () => {
        const { srv } = h;
        for (const path of ['/client/v1/login', '/nope', '/cgi-bin/token', '/admin/v1/users']) {
            const r = await headOnly(srv.port, path, 20 * MiB);
            assert.ok(r, `${path}: no answer before the body was sent`);
            assert.equal(r.status, 413, `${path}: ${r.status} ${r.text}`);
            assert.equal(r.body?.errcode, 413, r.text);
        }
    });

    it('answers a large upload without a valid access_token with 40001 from its head, and takes one with', async () => {
        const { srv } = h;
        const t = await tok(srv);
        for (const q of ['access_token=nope&type=image', 'type=image', `access_token=${t}x&type=image`]) {
            const r = await headOnly(srv.port, `/cgi-bin/media/upload?${q}`, 5 * MiB, { headers: 'Content-Type: multipart/form-data; boundary=b\r\n' });
            assert.ok(r, `${q}: no answer before the body was sent`);
            assert.equal(r.status, 200, r.text);
            assert.equal(r.body?.errcode, 40001, r.text);
        }
        // a valid token's large upload is read (no answer before its body) and stored
        const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
        const body = Buffer.concat([
            Buffer.from('--b\r\nContent-Disposition: form-data; name="media"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n'),
            png, Buffer.alloc(3 * MiB), Buffer.from('\r\n--b--\r\n'),
        ]);
        assert.equal(await headOnly(srv.port, `/cgi-bin/media/upload?access_token=${t}&type=image`, body.length, { ms: 300, headers: 'Content-Type: multipart/form-data; boundary=b\r\n' }), null);
        const up = await srv.request('POST', `/cgi-bin/media/upload?access_token=${t}&type=image`, { body, headers: { 'content-type': 'multipart/form-data; boundary=b' } });
        assert.ok(up.body?.media_id, up.text);
    });

    it('stays small under 40 concurrent unauthenticated 20 MB posts', async () => {
        const { srv } = h;
        const before = peakRss(srv.pid);
        const paths = ['/client/v1/login', '/nope', '/cgi-bin/token', '/cgi-bin/media/upload?type=image'];
        await Promise.all(Array.from({ length: 40 }, (_, i) => blast(srv.port, paths[i % paths.length], 20 * MiB)));
        const grew = peakRss(srv.pid) - before;
        // 40 bodies of 20 MB read whole would be 800 MB
        assert.ok(grew < 100 * MiB, `peak RSS grew by ${(grew / MiB).toFixed(0)} MiB`);
        assert.equal((await srv.get('/healthz')).status, 200);
    });

    it('holds the bodies in flight to a cap: past it, the wire error -1, and room again once they end', async () => {
        const { srv } = h;
        const t = await tok(srv);
        const path = `/cgi-bin/media/upload?access_token=${t}&type=video`;
        const head = (len) => `POST ${path} HTTP/1.1\r\nHost: lianjie\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: ${len}\r\n\r\n--b\r\n`;
        const held = [];
        try {
            // 9 uploads of 20 MiB under way: 180 MiB of the 192 MiB cap
            for (let i = 0; i < 9; i++) {
                const c = await new RawConn(srv.port).connect();
                await c.send(head(20 * MiB));
                held.push(c);
            }
            for (;;) { // until the server has read all nine heads
                if ((await metric(srv, 'lianjie_request_bodies_in_flight_bytes')) === 9 * 20 * MiB)
                    break;
                await new Promise((r) => setTimeout(r, 20));
            }
            const r = await headOnly(srv.port, path, 20 * MiB, { headers: 'Content-Type: multipart/form-data; boundary=b\r\n' });
            assert.ok(r, 'the 10th is answered from its head');
            assert.equal(r.status, 200, r.text);
            assert.equal(r.body?.errcode, -1, r.text);
            assert.match(r.body.errmsg, /busy/);
            for (const c of held)
                assert.equal(c.buf.length, 0, 'the nine under way are not refused');
        } finally {
            for (const c of held)
                c.close();
        }
        for (let i = 0; (await metric(srv, 'lianjie_request_bodies_in_flight_bytes')) !== 0; i++) {
            assert.ok(i < 200, 'the room comes back when the uploads end');
            await new Promise((r) => setTimeout(r, 20));
        }
        const again = await headOnly(srv.port, path, 20 * MiB, { ms: 300, headers: 'Content-Type: multipart/form-data; boundary=b\r\n' });
        assert.equal(again, null, 'an upload is read again');
    });
});
