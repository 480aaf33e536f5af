// The web client's shared code: client-API calls with the session cookie, safe DOM building
// (text only, never markup from data), message rendering and the tab bar. Loaded first by
// every page; the page's own script uses window.LJ.
'use strict';

(function () {
    const LJ = (window.LJ = {});

    /** an error answer of the client API: errcode, errmsg and the HTTP status */
    class ApiError extends Error {
        constructor(errcode, errmsg, status) {
            super(errmsg || `error ${errcode}`);
            this.errcode = errcode;
            this.status = status;
        }
    }
    LJ.ApiError = ApiError;

    /** the sign-in page, coming back here afterwards */
    LJ.signIn = function () {
        const next = location.pathname + location.search;
        location.href = `/app/login?next=${encodeURIComponent(next)}`;
    };

    /**
     * Calls the client API with the session cookie. Resolves with the parsed answer when its
     * errcode is 0; rejects with an ApiError otherwise (HTTP 404 for a route this server does
     * not have). A 401 (session gone) goes to the sign-in page.
     */
    LJ.api = async function (method, path, body, signal) {
        const init = {
            method,
            credentials: 'same-origin',
            headers: { 'X-Requested-With': 'XMLHttpRequest', Accept: 'application/json' },
            signal,
        };
        if (body !== undefined) {
            init.headers['Content-Type'] = 'application/json';
            init.body = JSON.stringify(body);
        }
        const res = await fetch(path, init);
        let json = null;
        try {
            json = await res.json();
        } catch {
            json = null;
        }
        if (res.status === 401) {
            LJ.signIn();
            throw new ApiError(401, 'signed out', 401);
        }
        if (!json || typeof json !== 'object')
            throw new ApiError(res.status, `HTTP ${res.status}`, res.status);
        if (res.status !== 200 || (json.errcode !== undefined && json.errcode !== 0))
            throw new ApiError(json.errcode ?? res.status, json.errmsg, res.status);
        return json;
    };
    LJ.get = (path, signal) => LJ.api('GET', path, undefined, signal);
    LJ.post = (path, body) => LJ.api('POST', path, body);

    /** a query parameter of this page's URL ('' when absent) */
    LJ.param = (name) => new URLSearchParams(location.search).get(name) || '';

    /** u when it is an absolute http(s) URL, else null: the only URLs put into href or src */
    LJ.safeUrl = function (u) {
        if (typeof u !== 'string' || !u)
            return null;
        try {
            const url = new URL(u);
            return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
        } catch {
            return null;
        }
    };

    /**
     * Builds an element. attrs: class, text (textContent), href / src (through safeUrl unless
     * local: true), hidden, any other attribute by name, and on<event> functions. Children
     * are nodes or strings (as text). Never parses markup.
     */
    const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;

    LJ.el = function (tag, attrs = {}, ...children) {
        const e = document.createElement(tag);
        for (const [k, v] of Object.entries(attrs)) {
            if (v === undefined || v === null || v === false)
                continue;
            if (k === 'class')
                e.className = v;
            else if (k === 'text') {
                e.textContent = String(v);
                // the page is in English; text in Chinese says so, for screen readers and fonts
                if (CJK.test(e.textContent) && !attrs.lang)
                    e.setAttribute('lang', 'zh-CN');
            }
            else if (k.startsWith('on') && typeof v === 'function')
                e.addEventListener(k.slice(2), v);
            else if (k === 'local')
                continue;
            else if ((k === 'href' || k === 'src') && !attrs.local) {
                const safe = LJ.safeUrl(v);
                if (safe)
                    e.setAttribute(k, safe);
            } else
                e.setAttribute(k, v === true ? '' : String(v));
        }
        for (const c of children.flat()) {
            if (c === null || c === undefined || c === false)
                continue;
            e.append(typeof c === 'string' ? document.createTextNode(c) : c);
        }
        return e;
    };

    /** a short message at the top of the screen (WeUI top tips) */
    LJ.toast = function (text, kind = 'warn') {
        let t = document.getElementById('lj-toptips');
        if (!t) {
            t = LJ.el('div', { id: 'lj-toptips', role: 'status' });
            document.body.append(t);
        }
        t.className = `weui-toptips lj-toptips lj-toptips_${kind}`;
        t.textContent = text;
        t.hidden = false;
        clearTimeout(LJ.toast.timer);
        LJ.toast.timer = setTimeout(() => (t.hidden = true), 3000);
    };

    /** what an error means for a person */
    /**
     * A WeUI dialog asking to confirm an action: resolves true for the confirm button, false
     * for cancel, Escape or a tap outside. The focus goes to cancel, and back where it was.
     */
    LJ.confirm = function (title, text, confirmLabel = 'OK', warn = false) {
        return new Promise((resolve) => {
            const back = document.activeElement;
            const no = LJ.el('button', { type: 'button', class: 'weui-dialog__btn weui-dialog__btn_default', text: 'Cancel' });
            const yes = LJ.el('button', { type: 'button', class: `weui-dialog__btn weui-dialog__btn_primary${warn ? ' lj-dialog__btn_warn' : ''}`, text: confirmLabel });
            const mask = LJ.el('div', { class: 'weui-mask' });
            const dialog = LJ.el('div', { class: 'weui-dialog', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'lj-dialog-title' },
                LJ.el('div', { class: 'weui-dialog__hd' }, LJ.el('strong', { class: 'weui-dialog__title', id: 'lj-dialog-title', text: title })),
                LJ.el('div', { class: 'weui-dialog__bd', text }),
                LJ.el('div', { class: 'weui-dialog__ft' }, no, yes));
            const root = LJ.el('div', { class: 'lj-dialog' }, mask, dialog);
            const done = (v) => {
                document.removeEventListener('keydown', onKey);
                root.remove();
                if (back && back.focus)
                    back.focus();
                resolve(v);
            };
            const onKey = (ev) => {
                if (ev.key === 'Escape')
                    done(false);
            };
            no.addEventListener('click', () => done(false));
            yes.addEventListener('click', () => done(true));
            mask.addEventListener('click', () => done(false));
            document.addEventListener('keydown', onKey);
            document.body.append(root);
            no.focus();
        });
    };

    LJ.explain = function (e) {
        if (!(e instanceof ApiError))
            return 'Network error, try again.';
        const known = {
            40013: 'This account does not exist.',
            43004: 'Follow the account first.',
            43019: 'The account does not accept your messages.',
            45002: 'The message is too long.',
            47003: 'Check what you entered.',
            40008: 'This kind of message cannot be sent.',
        };
        if (known[e.errcode])
            return known[e.errcode];
        if (typeof e.errcode !== 'number')
            return `Something went wrong (HTTP ${e.status || '?'}). Try again.`;
        return `${e.message || 'Error'} (${e.errcode})`;
    };

    /** HH:MM for today, else YYYY-MM-DD HH:MM */
    LJ.time = function (sec) {
        const d = new Date(sec * 1000);
        const pad = (n) => String(n).padStart(2, '0');
        const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
        const today = new Date();
        if (d.toDateString() === today.toDateString())
            return hm;
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
    };

    /** the account's picture, or its first letter */
    LJ.avatar = function (a, cls = 'lj-avatar') {
        const src = LJ.safeUrl(a.avatar);
        if (src)
            return LJ.el('img', { class: cls, src, alt: '' });
        return LJ.el('span', { class: `${cls} lj-avatar_letter`, text: (a.name || '?').slice(0, 1), 'aria-hidden': 'true' });
    };

    // ------------------------------------------------------------------ messages

    const str = (v) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

    function card(url, ...children) {
        const href = LJ.safeUrl(url);
        if (!href)
            return LJ.el('div', { class: 'lj-card' }, ...children);
        return LJ.el('a', { class: 'lj-card', href, target: '_blank', rel: 'noopener noreferrer' }, ...children);
    }

    function label(text, extra) {
        return LJ.el('div', { class: 'lj-bubble lj-label' }, LJ.el('span', { class: 'lj-label__kind', text }), extra ? ` ${extra}` : '');
    }

    function article(a) {
        const pic = LJ.safeUrl(str(a.picurl) || str(a.thumb_url));
        return card(
            str(a.url),
            pic ? LJ.el('img', { class: 'lj-card__pic', src: pic, alt: '' }) : null,
            LJ.el('div', { class: 'lj-card__title', text: str(a.title) || 'Article' }),
            str(a.description) ? LJ.el('div', { class: 'lj-card__desc', text: str(a.description) }) : null,
        );
    }

    /** text with its http(s) links made links (text nodes and <a> elements, no markup parsed) */
    function linked(text) {
        const out = [];
        let at = 0;
        for (const m of text.matchAll(/https?:\/\/[^\s<>"'，。；、）]+/g)) {
            const url = m[0].replace(/[.,;:!?)\]]+$/, '');
            if (m.index > at)
                out.push(text.slice(at, m.index));
            const href = LJ.safeUrl(url);
            out.push(href ? LJ.el('a', { href, target: '_blank', rel: 'noopener noreferrer', text: url }) : url);
            at = m.index + url.length;
        }
        if (at < text.length)
            out.push(text.slice(at));
        return out;
    }

    /** where the client reads a media_id of the chat's account (GET /client/v1/media), or '' */
    function mediaUrl(b, ctx) {
        const id = str(b.media_id);
        if (!id || !ctx || !ctx.appid || !/^[A-Za-z0-9_-]{1,128}$/.test(id))
            return '';
        return `/client/v1/media?appid=${encodeURIComponent(ctx.appid)}&media_id=${encodeURIComponent(id)}`;
    }

    const renderers = {
        text: (b) => LJ.el('div', { class: 'lj-bubble lj-text', lang: CJK.test(str(b.content)) ? 'zh-CN' : null }, linked(str(b.content))),
        image: (b, ctx) => {
            const own = mediaUrl(b, ctx);
            const src = LJ.safeUrl(str(b.pic_url) || str(b.picurl) || str(b.url));
            if (!src && !own)
                return label('[Image]');
            const img = own ? LJ.el('img', { src: own, local: true, alt: 'image', loading: 'lazy' }) : LJ.el('img', { src, alt: 'image', loading: 'lazy' });
            return LJ.el('div', { class: 'lj-bubble lj-image' }, own ? LJ.el('a', { href: own, local: true, target: '_blank', rel: 'noopener' }, img) : LJ.el('a', { href: src, target: '_blank', rel: 'noopener noreferrer' }, img));
        },
        voice: (b, ctx) => {
            const own = mediaUrl(b, ctx);
            if (!own)
                return label('[Voice]', str(b.recognition));
            return LJ.el('div', { class: 'lj-bubble lj-voice' }, LJ.el('audio', { controls: '', preload: 'none', src: own, local: true, 'aria-label': 'voice message' }), str(b.recognition) ? LJ.el('div', { class: 'lj-card__desc', text: str(b.recognition) }) : null);
        },
        video: (b, ctx) => {
            const own = mediaUrl(b, ctx);
            const about = [str(b.title), str(b.description)].filter(Boolean).join(' — ');
            if (!own)
                return label('[Video]', about);
            return LJ.el('div', { class: 'lj-bubble lj-video-msg' }, LJ.el('video', { controls: '', preload: 'metadata', playsinline: '', src: own, local: true, 'aria-label': about || 'video message' }), about ? LJ.el('div', { class: 'lj-card__desc', text: about }) : null);
        },
        shortvideo: (b) => label('[Short video]', str(b.title)),
        location: (b) => {
            const lat = Number(b.latitude ?? b.location_x);
            const lng = Number(b.longitude ?? b.location_y);
            const where = Number.isFinite(lat) && Number.isFinite(lng) ? `${lat.toFixed(5)}, ${lng.toFixed(5)}` : '';
            return LJ.el(
                'div',
                { class: 'lj-bubble lj-location' },
                LJ.el('div', { class: 'lj-card__kind', text: 'Location' }),
                LJ.el('div', { class: 'lj-card__title', text: str(b.label) || str(b.poiname) || 'Pinned place' }),
                where ? LJ.el('div', { class: 'lj-card__desc', text: where }) : null,
            );
        },
        link: (b) =>
            card(
                str(b.url),
                LJ.el('div', { class: 'lj-card__title', text: str(b.title) || str(b.url) }),
                str(b.description) ? LJ.el('div', { class: 'lj-card__desc', text: str(b.description) }) : null,
            ),
        music: (b) =>
            card(
                str(b.hqmusicurl) || str(b.musicurl),
                LJ.el('div', { class: 'lj-card__title', text: `♪ ${str(b.title) || 'Music'}` }),
                str(b.description) ? LJ.el('div', { class: 'lj-card__desc', text: str(b.description) }) : null,
            ),
        news: (b) => {
            const list = Array.isArray(b.articles) ? b.articles : [];
            if (!list.length)
                return label('[Articles]');
            return LJ.el('div', { class: 'lj-news' }, list.map((a) => article(a && typeof a === 'object' ? a : {})));
        },
        mpnews: (b) => (Array.isArray(b.articles) ? renderers.news(b) : label('[Article]', str(b.title))),
        mpnewsarticle: () => label('[Article]'),
        mpvideo: (b) => label('[Video]', str(b.title)),
        images: (b) => label('[Images]', Array.isArray(b.media_ids) ? `×${b.media_ids.length}` : ''),
        miniprogrampage: (b) => label('[Mini Program]', str(b.title)),
        wxcard: () => label('[Card]'),
        // a template message as WeChat shows it: its title, the filled-in lines ("Label：value"
        // as two columns), and "Details" when it links somewhere
        template: (b) => {
            const lines = str(b.content).split('\n').map((l) => l.trim()).filter(Boolean);
            const href = LJ.safeUrl(str(b.url));
            const rows = lines.map((l) => {
                const m = /^([^：:]{1,20})[：:](.+)$/.exec(l);
                if (!m)
                    return LJ.el('p', { class: 'lj-template__line', text: l });
                return LJ.el('p', { class: 'lj-template__row' }, LJ.el('span', { class: 'lj-template__key', text: m[1] }), LJ.el('span', { class: 'lj-template__value', text: m[2] }));
            });
            const children = [LJ.el('div', { class: 'lj-card__title', text: str(b.title) || 'Notification' }), ...rows];
            if (!href)
                return LJ.el('div', { class: 'lj-card lj-template' }, ...children);
            return LJ.el('a', { class: 'lj-card lj-template', href, target: '_blank', rel: 'noopener noreferrer' }, ...children, LJ.el('span', { class: 'lj-template__more', text: 'Details' }));
        },
        msgmenu: (b) =>
            LJ.el(
                'div',
                { class: 'lj-bubble lj-text' },
                str(b.head_content),
                Array.isArray(b.list) ? b.list.map((i) => LJ.el('div', { class: 'lj-menuitem', text: str(i && i.content) })) : null,
                str(b.tail_content),
            ),
    };

    function notice(m) {
        const b = m.body || {};
        const text = str(b.content) || str(b.text) || str(b.title) || str(b.event) || m.msgtype;
        return LJ.el('div', { class: 'lj-notice', 'data-id': m.id, 'data-msgtype': m.msgtype }, LJ.el('span', { text }));
    }

    /** one chat message as an element (class lj-msg lj-msg_user | lj-msg_account) */
    LJ.renderMessage = function (m, ctx) {
        const b = m.body && typeof m.body === 'object' ? m.body : {};
        if (m.source === 'system' || m.msgtype === 'system' || m.msgtype === 'event')
            return notice(m);
        const render = renderers[m.msgtype];
        const content = render ? render(b, ctx) : label(`[${m.msgtype || 'message'}]`);
        const from = m.from === 'user' ? 'user' : 'account';
        return LJ.el(
            'div',
            { class: `lj-msg lj-msg_${from}`, 'data-id': m.id, 'data-msgtype': m.msgtype, 'data-source': m.source, title: LJ.time(m.created_at) },
            content,
        );
    };

    /**
     * As WeChat does: a time between messages, not under each: before the first, and where
     * five minutes or more passed since the one before. Returns the element, or null.
     */
    LJ.timeBetween = function (prevSec, sec) {
        if (prevSec && sec - prevSec < 300)
            return null;
        return LJ.el('time', { class: 'lj-time', datetime: new Date(sec * 1000).toISOString(), text: LJ.time(sec) });
    };

    // ------------------------------------------------------------------ accounts

    /**
     * A row of an account list: picture, name, kind, and a follow button. onToggle(a) is
     * called after a follow or unfollow went through.
     */
    LJ.accountRow = function (a, onToggle) {
        const chat = `/app/chat?appid=${encodeURIComponent(a.appid)}`;
        const btn = LJ.el('button', { type: 'button', class: 'weui-btn weui-btn_mini lj-follow' });
        const paint = () => {
            btn.textContent = a.following ? 'Unfollow' : 'Follow';
            btn.classList.toggle('weui-btn_primary', !a.following);
            btn.classList.toggle('weui-btn_default', !!a.following);
            btn.setAttribute('aria-pressed', a.following ? 'true' : 'false');
        };
        paint();
        btn.addEventListener('click', async () => {
            btn.disabled = true;
            try {
                await LJ.post(a.following ? '/client/v1/unfollow' : '/client/v1/follow', { appid: a.appid });
                a.following = !a.following;
                paint();
                LJ.toast(a.following ? `Following ${a.name}` : `Unfollowed ${a.name}`, 'ok');
                if (onToggle)
                    onToggle(a);
            } catch (e) {
                LJ.toast(LJ.explain(e));
            } finally {
                btn.disabled = false;
            }
        });
        const kind = `${a.type === 'service' ? 'Service account' : 'Subscription account'}${a.verified ? ' · verified' : ''}`;
        return LJ.el(
            'div',
            { class: 'weui-cell lj-account', 'data-appid': a.appid },
            LJ.el('div', { class: 'weui-cell__hd' }, LJ.el('a', { href: `/app/account?appid=${encodeURIComponent(a.appid)}`, local: true, class: 'lj-account__pic', 'aria-label': `${a.name}: profile` }, LJ.avatar(a))),
            LJ.el(
                'div',
                { class: 'weui-cell__bd' },
                LJ.el('a', { class: 'lj-account__name', href: chat, local: true, text: a.name }),
                LJ.el('div', { class: 'lj-account__kind', text: kind }),
            ),
            LJ.el('div', { class: 'weui-cell__ft' }, btn),
        );
    };

    // ------------------------------------------------------------------ tab bar

    const TABS = [
        ['chats', '/app', 'Chats'],
        ['accounts', '/app/accounts', 'Accounts'],
        ['scan', '/app/scan', 'Scan'],
        ['me', '/app/me', 'Me'],
    ];

    function tabbar() {
        const nav = document.getElementById('tabbar');
        if (!nav)
            return;
        const active = nav.dataset.tab;
        for (const [id, href, text] of TABS) {
            nav.append(
                LJ.el(
                    'a',
                    { class: `weui-tabbar__item${id === active ? ' weui-bar__item_on' : ''}`, href, local: true, id: `tab-${id}`, 'aria-current': id === active ? 'page' : null },
                    LJ.el('span', { class: `lj-tab__icon lj-tab__icon_${id}`, 'aria-hidden': 'true' }),
                    LJ.el('p', { class: 'weui-tabbar__label', text }),
                ),
            );
        }
    }

    if (document.readyState === 'loading')
        document.addEventListener('DOMContentLoaded', tabbar);
    else
        tabbar();
})();
