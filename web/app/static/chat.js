// /app/chat?appid=...: one account's chat. Reads the chat with a long poll (after the last
// message seen, wait 25 s), sends text, locations and links, follows and unfollows, and
// shows the account's menu when the server has one for it (none when that API answers 404).
'use strict';

(function () {
    const { el } = LJ;
    const appid = LJ.param('appid');
    const $ = (id) => document.getElementById(id);
    const box = $('messages');
    const followBtn = $('follow');
    const state = { account: null, following: false, last: 0, seen: new Set(), stop: new AbortController() };

    // ------------------------------------------------------------------ account and following

    function setFollowing(on) {
        const was = state.following;
        state.following = !!on;
        // a user who does not follow has no menu and cannot write
        for (const c of $('composer').querySelectorAll('textarea, button'))
            c.disabled = !on;
        $('extras').hidden = $('extras').hidden || !on;
        if (!on) {
            $('menu').hidden = true;
            $('composer').hidden = false;
            $('to-menu').hidden = true;
            state.hasMenu = false;
        } else if (!was && state.account) {
            loadMenu();
        }
        followBtn.textContent = on ? 'Unfollow' : 'Follow';
        followBtn.classList.toggle('weui-btn_primary', !on);
        followBtn.classList.toggle('weui-btn_default', !!on);
        followBtn.setAttribute('aria-pressed', on ? 'true' : 'false');
        $('notice').hidden = !!on;
    }

    function gone(text) {
        $('name').textContent = 'Chat';
        $('missing').textContent = text;
        $('missing').hidden = false;
        for (const id of ['composer', 'notice', 'follow', 'history'])
            $(id).hidden = true;
        state.stop.abort();
    }

    async function loadAccount() {
        const r = await LJ.get(`/client/v1/accounts?q=${encodeURIComponent(appid)}`);
        const a = (r.accounts || []).find((x) => x.appid === appid);
        if (!a)
            return null;
        state.account = a;
        // the title leads to the account's profile
        $('name').replaceChildren(el('a', { href: `/app/account?appid=${encodeURIComponent(appid)}`, local: true, text: a.name, id: 'to-profile' }));
        document.title = a.name;
        $('notice-name').textContent = a.name;
        setFollowing(a.following);
        return a;
    }

    followBtn.addEventListener('click', async () => {
        followBtn.disabled = true;
        const want = !state.following; /* the poll may change state.following meanwhile */
        try {
            const r = await LJ.post(want ? '/client/v1/follow' : '/client/v1/unfollow', { appid });
            state.changes = (state.changes || 0) + 1;
            setFollowing(want);
            if (r.followed_now)
                LJ.toast(`Following ${state.account.name}`, 'ok');
        } catch (e) {
            LJ.toast(LJ.explain(e));
        } finally {
            followBtn.disabled = false;
        }
    });

    // ------------------------------------------------------------------ reading

    function nearBottom() {
        return box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    }

    const pill = $('new-messages');

    function toBottom() {
        box.scrollTop = box.scrollHeight;
        state.height = box.scrollHeight;
        pill.hidden = true;
    }

    // while the reader is at the bottom, the chat stays there as pictures finish loading
    box.addEventListener('load', () => {
        if (state.stuck)
            box.scrollTop = box.scrollHeight;
        state.height = box.scrollHeight;
    }, true);
    box.addEventListener('scroll', () => {
        // a scroll that came with new content (a picture loading) is not the reader's
        if (box.scrollHeight !== state.height) {
            state.height = box.scrollHeight;
            if (state.stuck)
                box.scrollTop = box.scrollHeight;
            return;
        }
        state.stuck = nearBottom();
        if (state.stuck)
            pill.hidden = true;
    });
    pill.addEventListener('click', toBottom);

    function append(messages) {
        const stick = nearBottom() || state.seen.size === 0;
        let added = 0;
        for (const m of messages) {
            if (!m || state.seen.has(m.id))
                continue;
            state.seen.add(m.id);
            const when = LJ.timeBetween(state.lastAt, m.created_at);
            if (when)
                box.append(when);
            state.lastAt = m.created_at;
            box.append(LJ.renderMessage(m, { appid }));
            added++;
        }
        $('empty').hidden = state.seen.size > 0;
        if (stick) {
            toBottom();
            state.stuck = true;
        } else if (added) { /* the reader is further up: say so instead of moving */
            pill.hidden = false;
        }
        if (added)
            markRead();
    }

    // the chats list counts what came after the newest message shown here
    function markRead() {
        const newest = Math.max(0, ...[...state.seen].filter((x) => typeof x === 'number'));
        if (document.hidden || newest <= (state.read || 0))
            return;
        state.read = newest;
        LJ.post('/client/v1/chats/read', { appid, id: newest }).catch(() => {});
    }
    document.addEventListener('visibilitychange', markRead);

    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

    async function poll() {
        let wait = 0; // the first call answers at once with what is there
        while (!state.stop.signal.aborted) {
            try {
                const path = `/client/v1/messages?appid=${encodeURIComponent(appid)}&after=${state.last}&wait=${wait}`;
                const changes = state.changes; // a follow or unfollow made here meanwhile wins
                const r = await LJ.get(path, state.stop.signal);
                const list = Array.isArray(r.messages) ? r.messages : [];
                append(list);
                if (typeof r.last_id === 'number' && r.last_id > state.last)
                    state.last = r.last_id;
                if (typeof r.following === 'boolean' && r.following !== state.following && changes === state.changes)
                    setFollowing(r.following);
                wait = list.length >= 100 ? 0 : 25; // a full page: read on at once
            } catch (e) {
                if (state.stop.signal.aborted || e.status === 401)
                    return;
                if (e.errcode === 40013)
                    return gone('This account does not exist.');
                await sleep(3000);
            }
        }
    }

    // ------------------------------------------------------------------ sending

    async function send(msg, form) {
        const buttons = form ? form.querySelectorAll('button') : [];
        buttons.forEach((b) => (b.disabled = true));
        try {
            await LJ.post('/client/v1/messages/send', { appid, ...msg });
            return true; // the message shows through the poll, with the reply after it
        } catch (e) {
            LJ.toast(LJ.explain(e));
            return false;
        } finally {
            buttons.forEach((b) => (b.disabled = false));
        }
    }

    const text = $('text');
    $('composer').addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const content = text.value;
        if (!content.trim())
            return;
        if (await send({ msgtype: 'text', content }, ev.target)) {
            text.value = '';
            text.focus();
        }
    });
    text.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
            ev.preventDefault();
            $('composer').requestSubmit();
        }
    });
    $('more').addEventListener('click', () => {
        $('extras').hidden = !$('extras').hidden;
        $('more').setAttribute('aria-expanded', String(!$('extras').hidden));
    });

    $('location-form').addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const f = ev.target.elements;
        const location = { latitude: Number(f.latitude.value), longitude: Number(f.longitude.value), scale: 15, label: f.label.value };
        if (await send({ msgtype: 'location', location }, ev.target)) {
            ev.target.reset();
            $('extras').hidden = true;
        }
    });
    $('here').addEventListener('click', () => {
        if (!navigator.geolocation)
            return LJ.toast('This browser cannot tell where you are.');
        navigator.geolocation.getCurrentPosition(
            (p) => {
                const f = $('location-form').elements;
                f.latitude.value = p.coords.latitude.toFixed(6);
                f.longitude.value = p.coords.longitude.toFixed(6);
            },
            () => LJ.toast('Your position is not available.'),
            { timeout: 10000 },
        );
    });

    $('link-form').addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const f = ev.target.elements;
        const link = { title: f.title.value, description: f.description.value, url: f.url.value };
        if (await send({ msgtype: 'link', link }, ev.target)) {
            ev.target.reset();
            $('extras').hidden = true;
        }
    });

    // pictures, voice and video: the file goes in base64 (and a video's first frame as its
    // thumbnail, a JPEG drawn here)
    const base64 = (blob) => new Promise((resolve, reject) => {
        const r = new FileReader();
        r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
        r.onerror = () => reject(r.error);
        r.readAsDataURL(blob);
    });

    function firstFrame(file) {
        return new Promise((resolve) => {
            const v = document.createElement('video');
            const url = URL.createObjectURL(file);
            const end = (blob) => {
                URL.revokeObjectURL(url);
                resolve(blob);
            };
            v.muted = true;
            v.preload = 'auto';
            v.onloadeddata = () => { v.currentTime = Math.min(0.1, v.duration || 0); };
            v.onseeked = () => {
                const c = document.createElement('canvas');
                const scale = Math.min(1, 320 / Math.max(v.videoWidth || 1, v.videoHeight || 1));
                c.width = Math.max(1, Math.round((v.videoWidth || 1) * scale));
                c.height = Math.max(1, Math.round((v.videoHeight || 1) * scale));
                c.getContext('2d').drawImage(v, 0, 0, c.width, c.height);
                c.toBlob((b) => end(b), 'image/jpeg', 0.8);
            };
            v.onerror = () => end(null);
            v.src = url;
        });
    }

    for (const [id, msgtype] of [['send-image', 'image'], ['send-voice', 'voice'], ['send-video', 'video']]) {
        $(id).addEventListener('change', async (ev) => {
            const file = ev.target.files && ev.target.files[0];
            ev.target.value = '';
            if (!file)
                return;
            const msg = { msgtype, file: await base64(file), filename: file.name };
            if (msgtype === 'video') {
                const thumb = await firstFrame(file);
                if (!thumb)
                    return LJ.toast('This video cannot be read.');
                msg.thumb = await base64(thumb);
            }
            if (await send(msg, null))
                $('extras').hidden = true;
        });
    }

    // ------------------------------------------------------------------ the account's menu

    const menu = $('menu');

    function subButtons(b) {
        if (Array.isArray(b.sub_button))
            return b.sub_button;
        if (b.sub_button && Array.isArray(b.sub_button.list))
            return b.sub_button.list;
        return [];
    }

    function closePopups(except) {
        for (const p of menu.querySelectorAll('.lj-menu__popup'))
            if (p !== except) {
                p.hidden = true;
                p.previousElementSibling.setAttribute('aria-expanded', 'false');
            }
    }

    // Escape closes an open sub-menu and gives the focus back to its button
    document.addEventListener('keydown', (ev) => {
        if (ev.key !== 'Escape')
            return;
        const open = menu.querySelector('.lj-menu__popup:not([hidden])');
        if (!open)
            return;
        closePopups();
        open.previousElementSibling.focus();
        ev.preventDefault();
    });

    // ------------------------------------------------------------------ taps that ask first

    const sheet = { el: $('sheet'), back: null, onDone: null };

    function closeSheet() {
        sheet.el.hidden = true;
        for (const f of sheet.el.querySelectorAll('form'))
            f.hidden = true;
        if (sheet.back)
            sheet.back.focus();
    }

    /** opens the sheet with one of its forms; resolves with what it gathered, or null */
    function ask(title, form) {
        return new Promise((resolve) => {
            sheet.back = document.activeElement;
            $('sheet-title').textContent = title;
            $(form).reset();
            $(form).hidden = false;
            sheet.el.hidden = false;
            $(form).querySelector('input').focus();
            sheet.onDone = (v) => {
                sheet.onDone = null;
                closeSheet();
                resolve(v);
            };
        });
    }
    const cancelSheet = () => sheet.onDone && sheet.onDone(null);
    $('sheet-cancel').addEventListener('click', cancelSheet);
    $('sheet-mask').addEventListener('click', cancelSheet);
    sheet.el.addEventListener('keydown', (ev) => {
        if (ev.key === 'Escape') {
            ev.stopPropagation();
            cancelSheet();
        }
    });

    $('tap-scan').addEventListener('submit', (ev) => {
        ev.preventDefault();
        const text = $('tap-scan-text').value.trim();
        if (!text)
            return LJ.toast('Enter the code, or choose a picture of it.');
        sheet.onDone({ type: 'qrcode', result: text });
    });
    $('tap-scan-image').addEventListener('change', async (ev) => {
        const file = ev.target.files && ev.target.files[0];
        ev.target.value = '';
        if (!file)
            return;
        const text = await qrOf(file);
        if (text)
            sheet.onDone({ type: 'qrcode', result: text });
        else
            LJ.toast('No QR code found in the picture.');
    });
    $('tap-location').addEventListener('submit', (ev) => {
        ev.preventDefault();
        const f = new FormData(ev.target);
        sheet.onDone({ latitude: Number(f.get('latitude')), longitude: Number(f.get('longitude')), label: String(f.get('label') || ''), poiname: String(f.get('label') || '') });
    });
    $('tap-here').addEventListener('click', () => {
        if (!navigator.geolocation)
            return LJ.toast('This browser cannot tell where you are.');
        navigator.geolocation.getCurrentPosition(
            (p) => {
                $('tap-lat').value = p.coords.latitude.toFixed(6);
                $('tap-lng').value = p.coords.longitude.toFixed(6);
            },
            () => LJ.toast('Your position is not available.'));
    });

    /** the text of the QR code in a picture (jsQR), or null */
    async function qrOf(file) {
        try {
            const bmp = await createImageBitmap(file);
            const c = document.createElement('canvas');
            c.width = bmp.width;
            c.height = bmp.height;
            const ctx = c.getContext('2d', { willReadFrequently: true });
            ctx.drawImage(bmp, 0, 0);
            bmp.close();
            const data = ctx.getImageData(0, 0, c.width, c.height);
            const code = window.jsQR && window.jsQR(data.data, c.width, c.height, { inversionAttempts: 'attemptBoth' });
            return code && code.data ? code.data : null;
        } catch {
            return null;
        }
    }

    /** one picture the user picks (the camera first for pic_sysphoto), as base64, or null */
    function pickPhoto(camera) {
        return new Promise((resolve) => {
            const input = $('tap-photos');
            if (camera)
                input.setAttribute('capture', 'environment');
            else
                input.removeAttribute('capture');
            input.onchange = () => {
                const file = input.files && input.files[0];
                input.value = '';
                if (!file)
                    return resolve(null);
                const reader = new FileReader();
                reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
                reader.onerror = () => resolve(null);
                reader.readAsDataURL(file);
            };
            input.click();
        });
    }

    /** what a button of this type sends with its event (the user gives it), or null if not */
    async function gather(b) {
        switch (b.type) {
        case 'scancode_push':
        case 'scancode_waitmsg': {
            const scan = await ask(b.name || 'Scan', 'tap-scan');
            return scan && { scan };
        }
        case 'pic_sysphoto':
        case 'pic_photo_or_album':
        case 'pic_weixin': {
            const file = await pickPhoto(b.type === 'pic_sysphoto');
            return file && { photos: [{ file }] };
        }
        case 'location_select': {
            const location = await ask(b.name || 'Send a location', 'tap-location');
            return location && { location };
        }
        default:
            return {};
        }
    }

    async function tap(b) {
        closePopups();
        const extra = await gather(b);
        if (!extra)
            return; /* the user gave nothing: no event */
        const body = { appid };
        for (const [k, v] of Object.entries(b))
            if ((typeof v === 'string' || typeof v === 'number') && k !== 'name' && k !== 'appid' && k !== 'sub_button')
                body[k] = v;
        Object.assign(body, extra);
        try {
            await LJ.post('/client/v1/menu/click', body);
        } catch (e) {
            LJ.toast(e.status === 404 ? 'Menus are not available on this server.' : LJ.explain(e));
            return;
        }
        const url = (b.type === 'view' || b.type === 'miniprogram') && LJ.safeUrl(b.url);
        if (url)
            location.assign(url);
    }

    function menuItem(b) {
        const subs = subButtons(b).filter((s) => s && typeof s === 'object');
        const name = typeof b.name === 'string' ? b.name : '';
        const item = el('div', { class: 'lj-menu__item' });
        const btn = el('button', { type: 'button', class: 'lj-menu__button', text: subs.length ? `≡ ${name}` : name });
        item.append(btn);
        if (!subs.length) {
            btn.addEventListener('click', () => tap(b));
            return item;
        }
        const popup = el('div', { class: 'lj-menu__popup', hidden: true, role: 'menu' });
        for (const s of subs.slice(0, 5))
            popup.append(el('button', { type: 'button', role: 'menuitem', class: 'lj-menu__sub', text: typeof s.name === 'string' ? s.name : '', onclick: () => tap(s) }));
        btn.setAttribute('aria-haspopup', 'menu');
        btn.setAttribute('aria-expanded', 'false');
        btn.addEventListener('click', () => {
            closePopups(popup);
            popup.hidden = !popup.hidden;
            btn.setAttribute('aria-expanded', popup.hidden ? 'false' : 'true');
        });
        item.append(popup);
        return item;
    }

    async function loadMenu() {
        let r;
        try {
            r = await LJ.get(`/client/v1/accounts/get?appid=${encodeURIComponent(appid)}`);
        } catch {
            return; // no such API here (404), or no menu: the chat works without one
        }
        const m = r.menu || (r.account && r.account.menu);
        const buttons = m && Array.isArray(m.button) ? m.button.filter((b) => b && typeof b === 'object') : [];
        if (!buttons.length)
            return;
        const toComposer = el('button', { type: 'button', class: 'lj-toggle lj-menu__toggle', id: 'to-composer', 'aria-label': 'Type a message', text: '⌨' });
        toComposer.addEventListener('click', () => showMenu(false, true));
        menu.replaceChildren(toComposer, ...buttons.slice(0, 3).map(menuItem));
        state.hasMenu = true;
        showMenu(true);
    }

    /* as in WeChat: an account's menu, or the keyboard, one at a time; the menu first */
    function showMenu(on, focus = false) {
        closePopups();
        menu.hidden = !on;
        $('composer').hidden = on;
        $('to-menu').hidden = !state.hasMenu;
        if (on)
            $('extras').hidden = true;
        if (focus)
            (on ? $('to-composer') : text).focus({ preventScroll: true });
    }
    $('to-menu').addEventListener('click', () => showMenu(true, true));
    document.addEventListener('click', (ev) => {
        if (!menu.contains(ev.target))
            closePopups();
    });

    // ------------------------------------------------------------------ start

    async function start() {
        if (!/^wx[0-9a-f]{16}$/.test(appid))
            return gone('No account chosen: open a chat from your chats or the account list.');
        $('history').href = `/app/history?appid=${encodeURIComponent(appid)}`;
        try {
            if (!(await loadAccount()))
                return gone('This account does not exist.');
        } catch (e) {
            if (e.status !== 401)
                LJ.toast(LJ.explain(e));
            return;
        }
        loadMenu();
        poll();
        reportLocation();
    }

    // an account that asks for its followers' location (location_report 1: once, on entering
    // the chat; 2: every 5 s while it is open) gets LOCATION events, when the browser may tell
    function reportLocation() {
        const mode = state.account && state.account.location_report;
        if (!mode || !navigator.geolocation)
            return;
        const once = () => {
            if (!state.following || document.hidden)
                return;
            navigator.geolocation.getCurrentPosition((p) => {
                LJ.post('/client/v1/location', { appid, latitude: p.coords.latitude, longitude: p.coords.longitude, precision: Math.round(p.coords.accuracy || 65) }).catch(() => {});
            }, () => {}, { timeout: 10000, maximumAge: 4000 });
        };
        once();
        if (mode === 2) {
            const t = setInterval(once, 5000);
            state.stop.signal.addEventListener('abort', () => clearInterval(t));
        }
    }

    addEventListener('pagehide', () => state.stop.abort());
    addEventListener('pageshow', (ev) => {
        if (ev.persisted)
            location.reload(); // back from the page cache: the poll was stopped
    });
    start();
})();
