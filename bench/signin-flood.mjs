// bench/signin-flood.mjs URL CONNS SECONDS: wrong-password sign-ins to /client/v1/login from
// CONNS concurrent loops, each request on a new connection from a new source address in
// 127.0.0.0/8 and for a new username (an attacker with many addresses and names: neither
// limit applies, so every attempt costs a password check). Prints one JSON line of counts.
import http from 'node:http';

const [url, conns = '64', seconds = '10'] = process.argv.slice(2);
const target = new URL('/client/v1/login', url);
const until = Date.now() + Number(seconds) * 1000;
const counts = { attempts: 0 };
let seq = 0;

function source() {
    const n = ++seq;
    return `127.${(n >> 16) & 255}.${(n >> 8) & 255}.${(n & 255) || 1}`;
}

function attempt() {
    return new Promise((resolve) => {
        const body = JSON.stringify({ username: `flood${seq}x${Math.random().toString(36).slice(2)}`, password: 'wrong' });
        const req = http.request(target, {
            method: 'POST',
            agent: false,
            localAddress: source(),
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        }, (res) => {
            res.resume();
            res.on('end', () => resolve(String(res.statusCode)));
        });
        req.on('error', (e) => resolve(e.code || 'error'));
        req.end(body);
    });
}

async function loop() {
    while (Date.now() < until) {
        const k = await attempt();
        counts.attempts++;
        counts[k] = (counts[k] || 0) + 1;
    }
}

await Promise.all(Array.from({ length: Number(conns) }, loop));
console.log(JSON.stringify(counts));
