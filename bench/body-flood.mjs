// bench/body-flood.mjs URL N MB: N concurrent unauthenticated POSTs of MB megabytes each,
// spread over /client/v1/login, an unknown path, /cgi-bin/token and a media upload without a
// token, each sent whole (0.1 s after its head) as fast as the server reads it. Prints one JSON line: the answers
// by HTTP status, and the connections that ended without one.
import net from 'node:net';

const [url, n = '99', mb = '20'] = process.argv.slice(2);
const { hostname, port } = new URL(url);
const paths = ['/client/v1/login', '/no/such/path', '/cgi-bin/token', '/cgi-bin/media/upload?type=image'];
const length = Number(mb) * 1024 * 1024;
const counts = {};

function post(path) {
    return new Promise((resolve) => {
        let got = '';
        const s = net.connect(Number(port), hostname, () => {
            s.write(`POST ${path} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`);
            // the body follows after a moment, so that an answer to the head alone is seen
            // before the server's close of a refused request could reset the connection
            setTimeout(body, 100);
        });
        const body = () => {
            const chunk = Buffer.alloc(1024 * 1024, 0x61);
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
        };
        s.on('data', (d) => { got += d.toString('latin1'); });
        const done = () => {
            const m = /^HTTP\/1\.1 (\d+)/.exec(got);
            const k = m ? m[1] : 'none';
            counts[k] = (counts[k] || 0) + 1;
            resolve();
        };
        s.on('close', done);
        s.on('error', () => {});
        s.setTimeout(30000, () => s.destroy());
    });
}

await Promise.all(Array.from({ length: Number(n) }, (_, i) => post(paths[i % paths.length])));
console.log(JSON.stringify(counts));
