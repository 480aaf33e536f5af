// /app/history?appid=...: the whole chat with an account, day by day, with a filter on
// the words of its messages. Read only; the chat page is where messages are sent.
'use strict';

(function () {
    const { el } = LJ;
    const appid = LJ.param('appid');
    const $ = (id) => document.getElementById(id);
    const box = $('messages');
    const PAGE = 100;
    const MAX_PAGES = 200;
    let all = [];

    /** the words a message can be found by */
    function words(m) {
        const out = [];
        const walk = (v) => {
            if (typeof v === 'string')
                out.push(v);
            else if (Array.isArray(v))
                v.forEach(walk);
            else if (v && typeof v === 'object')
                Object.values(v).forEach(walk);
        };
        walk(m.body);
        return out.join(' ').toLowerCase();
    }

    function day(sec) {
        return new Date(sec * 1000).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' });
    }

    function render() {
        const q = $('filter').value.trim().toLowerCase();
        const shown = q ? all.filter((m) => words(m).includes(q)) : all;
        const nodes = [];
        let current = '';
        let prev = 0;
        for (const m of shown) {
            const d = day(m.created_at);
            if (d !== current) {
                current = d;
                prev = 0;
                nodes.push(el('div', { class: 'lj-day', text: d }));
            }
            const when = LJ.timeBetween(prev, m.created_at);
            if (when)
                nodes.push(when);
            prev = m.created_at;
            nodes.push(LJ.renderMessage(m, { appid }));
        }
        box.replaceChildren(...nodes);
        $('count').textContent = q ? `${shown.length} of ${all.length} messages` : `${all.length} messages`;
        $('empty').hidden = shown.length > 0;
    }

    async function load() {
        let after = 0;
        for (let page = 0; page < MAX_PAGES; page++) {
            const r = await LJ.get(`/client/v1/messages?appid=${encodeURIComponent(appid)}&after=${after}&wait=0`);
            const list = Array.isArray(r.messages) ? r.messages : [];
            all = all.concat(list);
            if (list.length < PAGE || typeof r.last_id !== 'number' || r.last_id <= after)
                break;
            after = r.last_id;
        }
        render();
    }

    async function start() {
        if (!/^wx[0-9a-f]{16}$/.test(appid)) {
            $('count').textContent = 'No account chosen.';
            return;
        }
        $('back').href = `/app/chat?appid=${encodeURIComponent(appid)}`;
        try {
            const r = await LJ.get(`/client/v1/accounts?q=${encodeURIComponent(appid)}`);
            const a = (r.accounts || []).find((x) => x.appid === appid);
            if (!a) {
                $('count').textContent = 'This account does not exist.';
                return;
            }
            $('name').textContent = a.name;
            document.title = `History · ${a.name}`;
            await load();
        } catch (e) {
            if (e.status !== 401)
                LJ.toast(LJ.explain(e));
        }
    }

    $('filter').addEventListener('input', render);
    $('filter').form.addEventListener('submit', (ev) => ev.preventDefault());
    start();
})();
