// /app: the chats (followed accounts) and signing out.
'use strict';

(function () {
    const { el } = LJ;
    const list = document.getElementById('chats');
    const empty = document.getElementById('chats-empty');

    function row(a) {
        return el(
            'a',
            { class: 'weui-cell weui-cell_access lj-chatrow', href: `/app/chat?appid=${encodeURIComponent(a.appid)}`, local: true, 'data-appid': a.appid },
            el('div', { class: 'weui-cell__hd' }, LJ.avatar(a)),
            el('div', { class: 'weui-cell__bd' }, el('div', { class: 'lj-account__name', text: a.name })),
            el('div', { class: 'weui-cell__ft' }),
        );
    }

    async function load() {
        try {
            const r = await LJ.get('/client/v1/chats');
            const accounts = Array.isArray(r.accounts) ? r.accounts : [];
            list.replaceChildren(...accounts.map(row));
            list.hidden = accounts.length === 0;
            empty.hidden = accounts.length > 0;
        } catch (e) {
            if (e.status !== 401)
                LJ.toast(LJ.explain(e));
        }
    }

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
