// /app/accounts: every account a user can follow, searched by name (or appid).
'use strict';

(function () {
    const q = document.getElementById('q');
    const list = document.getElementById('accounts');
    const empty = document.getElementById('accounts-empty');
    let seq = 0;
    let timer = 0;

    async function search() {
        const mine = ++seq;
        const text = q.value.trim();
        try {
            const r = await LJ.get(`/client/v1/accounts?q=${encodeURIComponent(text)}`);
            if (mine !== seq)
                return; // a newer search is on its way
            const accounts = Array.isArray(r.accounts) ? r.accounts : [];
            list.replaceChildren(...accounts.map((a) => LJ.accountRow(a)));
            list.hidden = accounts.length === 0;
            empty.hidden = accounts.length > 0;
            const u = new URL(location.href);
            if (text)
                u.searchParams.set('q', text);
            else
                u.searchParams.delete('q');
            history.replaceState(null, '', u);
        } catch (e) {
            if (e.status !== 401)
                LJ.toast(LJ.explain(e));
        }
    }

    q.value = LJ.param('q');
    q.addEventListener('input', () => {
        clearTimeout(timer);
        timer = setTimeout(search, 250);
    });
    document.getElementById('search').addEventListener('submit', (ev) => {
        ev.preventDefault();
        clearTimeout(timer);
        search();
    });
    document.getElementById('clear').addEventListener('click', () => {
        q.value = '';
        search();
        q.focus();
    });
    search();
})();
