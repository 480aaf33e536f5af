// /app/scan: scan an account's QR code. The code comes pasted (its URL or ticket), from an
// image decoded here with jsQR, or from the camera. As in WeChat, the account is shown first
// (POST /client/v1/scan/peek, then its profile) with a Follow button, and following it scans
// the code; a code of an account already followed opens its chat. A website-login code of
// this server (/app/qrconnect) opens its confirm page.
'use strict';

(function () {
    const { el } = LJ;
    const $ = (id) => document.getElementById(id);
    const input = $('code');
    const result = $('result');

    function problem(title) {
        result.replaceChildren(el('div', { class: 'lj-result lj-result_err', id: 'scan-error', role: 'alert' }, el('h2', { class: 'lj-result__title', text: title })));
        result.hidden = false;
    }

    const KINDS = { service: 'Service account', subscription: 'Subscription account' };

    /**
     * The account a code belongs to, as WeChat shows it before you follow: picture, name and
     * kind, and a Follow button; following it scans the code (the account hears of the scene).
     */
    function profile(a, body) {
        const follow = el('button', { type: 'button', class: 'weui-btn weui-btn_primary', id: 'follow', text: 'Follow' });
        follow.addEventListener('click', async () => {
            follow.disabled = true;
            try {
                await LJ.post('/client/v1/scan', body);
                location.assign(`/app/chat?appid=${encodeURIComponent(a.appid)}`);
            } catch (e) {
                follow.disabled = false;
                LJ.toast(LJ.explain(e));
            }
        });
        result.replaceChildren(
            el('div', { class: 'lj-profile', id: 'scan-profile' },
                LJ.avatar(a, 'lj-avatar lj-avatar_big'),
                el('h2', { class: 'lj-profile__name', id: 'profile-name', text: a.name || 'Official account' }),
                el('p', { class: 'lj-profile__kind', text: KINDS[a.type] || 'Official account' })),
            el('div', { class: 'weui-btn-area' }, follow));
        result.hidden = false;
        follow.focus();
        follow.scrollIntoView({ block: 'nearest' });
    }

    /** why a scan or a look-up failed, for a person */
    function failed(e) {
        if (e.status === 404)
            problem('This code is unknown to this server.');
        else if (e.status === 410)
            problem('This code has expired.');
        else
            problem(LJ.explain(e));
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
            const peek = await LJ.post('/client/v1/scan/peek', body);
            const r = await LJ.get(`/client/v1/accounts/get?appid=${encodeURIComponent(peek.appid)}`);
            const a = r.account || {};
            if (a.following) { // already following: the chat opens, and the account hears of the scan
                await LJ.post('/client/v1/scan', body);
                location.assign(`/app/chat?appid=${encodeURIComponent(a.appid)}`);
                return;
            }
            profile(a, body);
        } catch (e) {
            if (e.status !== 401)
                failed(e);
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
