// Keep-alive HTTP for the benchmark helpers: one agent per base URL, answers as
// {status, headers, text, body (parsed JSON or null)}, and a pool runner.
import http from 'node:http';

export function client(base, maxSockets = 32) {
    const u = new URL(base);
    const agent = new http.Agent({ keepAlive: true, maxSockets });
    function request(method, path, { body = null, headers = {} } = {}) {
        const data = body === null ? null : typeof body === 'string' ? body : JSON.stringify(body);
        const h = { ...headers };
        if (data !== null) {
            h['content-type'] ||= 'application/json';
            h['content-length'] = Buffer.byteLength(data);
        }
        return new Promise((resolve, reject) => {
            const req = http.request(
                { host: u.hostname, port: u.port, path, method, headers: h, agent },
                (res) => {
                    const chunks = [];
                    res.on('data', (d) => chunks.push(d));
                    res.on('end', () => {
                        const text = Buffer.concat(chunks).toString();
                        let parsed = null;
                        try {
                            parsed = JSON.parse(text);
                        } catch {}
                        resolve({ status: res.statusCode, headers: res.headers, text, body: parsed });
                    });
                    res.on('error', reject);
                });
            req.on('error', reject);
            if (data !== null) req.write(data);
            req.end();
        });
    }
    return {
        request,
        get: (path, headers) => request('GET', path, { headers }),
        post: (path, body, headers) => request('POST', path, { body, headers }),
        close: () => agent.destroy(),
    };
}

// runs fn(item, index) over items with at most `width` at a time; results in order
export async function pool(items, width, fn) {
    const out = new Array(items.length);
    let next = 0;
    async function worker() {
        while (next < items.length) {
            const i = next++;
            out[i] = await fn(items[i], i);
        }
    }
    await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
    return out;
}

// percentile of sorted numbers (nearest rank)
export function pct(sorted, p) {
    if (!sorted.length) return NaN;
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function must(r, what) {
    if (r.status !== 200 || (r.body && r.body.errcode !== undefined && r.body.errcode !== 0))
        throw new Error(`${what}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
    return r.body;
}
