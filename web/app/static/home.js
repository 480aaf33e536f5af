// /app: the chats (followed accounts) and signing out.
'use strict';

(function () {
    const { el } = LJ;
    const list = document.getElementById('chats');
    const empty = document.getElementById('chats-empty');

    /** a message in one line, as the chats list shows it */
    function preview(m) {
        const b = m.body && typeof m.body === 'object' ? m.body : {};
        const kinds = { image: '[Picture]', voice: '[Voice]', video: '[Video]', shortvideo: '[Video]', location: '[Location]', link: '[Link]', music: '[Music]', news: '[Article]', mpnews: '[Article]', wxcard: '[Card]', miniprogrampage: '[Mini Program]', template: '[Notification]' };
        const text = typeof b.content === 'string' && m.msgtype === 'text' ? b.content : kinds[m.msgtype] || (typeof b.title === 'string' && b.title) || '';
        return (m.from === 'user' ? 'You: ' : '') + text.replace(/\s+/g, ' ');
    }

    function row(a) {
        const last = a.last && typeof a.last === 'object' ? a.last : null;
        const unread = Number.isInteger(a.unread) && a.unread > 0 ? a.unread : 0;
        return el(
            'a',
            { class: 'weui-cell weui-cell_access lj-chatrow', href: `/app/chat?appid=${encodeURIComponent(a.appid)}`, local: true, 'data-appid': a.appid, 'aria-label': `${a.name}${unread ? `, ${unread} unread` : ''}` },
            el('div', { class: 'weui-cell__hd lj-chatrow__pic' }, LJ.avatar(a), unread ? el('span', { class: 'weui-badge lj-chatrow__badge', text: unread > 99 ? '99+' : String(unread) }) : null),
            el('div', { class: 'weui-cell__bd lj-chatrow__body' },
                el('div', { class: 'lj-chatrow__top' },
                    el('span', { class: 'lj-account__name', text: a.name }),
                    last ? el('time', { class: 'lj-chatrow__time', text: LJ.time(last.created_at) }) : null),
                el('div', { class: 'lj-chatrow__last', text: last ? preview(last) : 'No messages yet' })),
        );
    }

    let shown = '';
    async function load() {
        try {
            const r = await LJ.get('/client/v1/chats');
            const accounts = Array.isArray(r.accounts) ? r.accounts : [];
            // the newest chat first
            accounts.sort((x, y) => ((y.last && y.last.id) || 0) - ((x.last && x.last.id) || 0));
            const key = JSON.stringify(accounts.map((a) => [a.appid, a.unread, a.last && a.last.id]));
            if (key !== shown) { /* redrawn only when something changed: focus and scroll stay */
                shown = key;
                list.replaceChildren(...accounts.map(row));
            }
            list.hidden = accounts.length === 0;
            empty.hidden = accounts.length > 0;
        } catch (e) {
            if (e.status !== 401)
                LJ.toast(LJ.explain(e));
        }
    }

    // new messages show up while the list is open
    setInterval(() => {
        if (!document.hidden)
            load();
    }, 4000);
    document.addEventListener('visibilitychange', () => {
        if (!document.hidden)
            load();
    });

    document.getElementById('logout').addEventListener('click', async () => {
        try {
            await LJ.post('/client/v1/logout', {});
        } catch (e) {
            if (e.status !== 401) {
                LJ.toast(LJ.explain(e));
                return;
            }
        }
        location.href = '/app/login';
    });

    load();
})();
