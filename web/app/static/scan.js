// /app/scan: scan an account's QR code. The code comes pasted (its URL or ticket), from an
// image decoded here with jsQR, or from the camera; POST /client/v1/scan answers what the
// scan did. A website-login code of this server (/app/qrconnect) opens its confirm page.
'use strict';

(function () {
    const { el } = LJ;
    const $ = (id) => document.getElementById(id);
    const input = $('code');
    const result = $('result');

    function field(k, v) {
        return el('div', { class: 'weui-cell' }, el('div', { class: 'weui-cell__bd', text: k }), el('div', { class: 'weui-cell__ft lj-value', text: typeof v === 'object' ? JSON.stringify(v) : String(v) }));
    }

    function show(ok, title, r) {
        const rows = [];
        const acct = r && (r.account && typeof r.account === 'object' ? r.account : r);
        if (r)
            for (const [k, v] of Object.entries(r))
                if (k !== 'errcode' && k !== 'errmsg' && v !== null && v !== undefined)
                    rows.push(field(k, v));
        const appid = acct && typeof acct.appid === 'string' && /^wx[0-9a-f]{16}$/.test(acct.appid) ? acct.appid : '';
        result.replaceChildren(
            el('div', { class: `lj-result ${ok ? 'lj-result_ok' : 'lj-result_err'}`, id: ok ? 'scan-ok' : 'scan-error' }, el('h2', { class: 'lj-result__title', text: title })),
            rows.length ? el('div', { class: 'weui-cells' }, rows) : null,
            ok && appid ? el('div', { class: 'weui-btn-area' }, el('a', { class: 'weui-btn weui-btn_primary', id: 'open-chat', href: `/app/chat?appid=${appid}`, local: true, text: `Open chat${acct.name ? ` with ${acct.name}` : ''}` })) : null,
        );
        result.hidden = false;
    }

    /** a website-login QR code of this very server opens its confirm page instead */
    function localLogin(text) {
        try {
            const u = new URL(text);
            return u.origin === location.origin && u.pathname === '/app/qrconnect' ? u.href : '';
        } catch {
            return '';
        }
    }

    async function scan(text) {
        text = text.trim();
        if (!text)
            return;
        const login = localLogin(text);
        if (login) {
            location.assign(login);
            return;
        }
        const body = /^https?:\/\//i.test(text) ? { url: text } : { ticket: text };
        $('go').disabled = true;
        try {
            const r = await LJ.post('/client/v1/scan', body);
            show(true, 'Scanned', r);
        } catch (e) {
            if (e.status === 401)
                return;
            if (e.status === 404 && e.errcode === 404)
                show(false, 'Scanning is not available on this server yet.', null);
            else
                show(false, LJ.explain(e), { errcode: e.errcode });
        } finally {
            $('go').disabled = false;
        }
    }

    $('scan-form').addEventListener('submit', (ev) => {
        ev.preventDefault();
        scan(input.value);
    });

    // ------------------------------------------------------------------ decoding

    /** the text of the QR code in an image source, or null */
    function decode(source, w, h) {
        const scale = Math.min(1, 1280 / Math.max(w, h));
        const cw = Math.max(1, Math.round(w * scale));
        const ch = Math.max(1, Math.round(h * scale));
        const canvas = $('canvas');
        canvas.width = cw;
        canvas.height = ch;
        const ctx = canvas.getContext('2d', { willReadFrequently: true });
        ctx.drawImage(source, 0, 0, cw, ch);
        const data = ctx.getImageData(0, 0, cw, ch);
        const code = window.jsQR(data.data, cw, ch, { inversionAttempts: 'attemptBoth' });
        return code && code.data ? code.data : null;
    }

    $('image').addEventListener('change', async (ev) => {
        const file = ev.target.files && ev.target.files[0];
        ev.target.value = '';
        if (!file)
            return;
        let text = null;
        try {
            const bmp = await createImageBitmap(file);
            text = decode(bmp, bmp.width, bmp.height);
            bmp.close();
        } catch {
            LJ.toast('This file is not an image.');
            return;
        }
        if (!text) {
            LJ.toast('No QR code found in the image.');
            return;
        }
        input.value = text;
        scan(text);
    });

    // ------------------------------------------------------------------ camera

    let stream = null;

    function stopCamera() {
        if (stream)
            stream.getTracks().forEach((t) => t.stop());
        stream = null;
        $('video').hidden = true;
        $('camera').textContent = 'Use the camera';
    }

    async function startCamera() {
        const video = $('video');
        try {
            stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
        } catch {
            LJ.toast('The camera is not available.');
            return;
        }
        video.srcObject = stream;
        video.hidden = false;
        $('camera').textContent = 'Stop the camera';
        await video.play().catch(() => {});
        const tick = () => {
            if (!stream)
                return;
            if (video.readyState >= 2) {
                const text = decode(video, video.videoWidth, video.videoHeight);
                if (text) {
                    stopCamera();
                    input.value = text;
                    scan(text);
                    return;
                }
            }
            requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
    }

    $('camera').addEventListener('click', () => (stream ? stopCamera() : startCamera()));
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia)
        $('camera').hidden = true;
    addEventListener('pagehide', stopCamera);

    const given = LJ.param('code');
    if (given) {
        input.value = given;
        scan(given);
    }
})();
