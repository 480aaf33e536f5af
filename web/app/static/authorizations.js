// /app/authorizations: the official accounts the signed-in user administers and the
// third-party platforms each has authorized, with the permission sets granted. The
// administrator can change an authorization (keep fewer sets) or cancel it.
'use strict';

(function () {
    const { el } = LJ;
    const $ = (id) => document.getElementById(id);
    const SETS = {
        1: 'Message management', 2: 'User management', 3: 'Account services', 4: 'Web services',
        5: 'Store', 6: 'Customer service', 7: 'Mass send and notifications', 8: 'Cards', 9: 'Scan',
        10: 'Wi-Fi', 11: 'Material', 12: 'Shake-around', 13: 'Stores', 15: 'Custom menu',
    };

    function authorization(account, a) {
        const boxes = a.func_sets.map((id) =>
            el('label', { class: 'weui-cell weui-check__label lj-set' },
                el('div', { class: 'weui-cell__hd' },
                    el('input', { type: 'checkbox', class: 'weui-check', value: String(id), checked: true }),
                    el('i', { class: 'weui-icon-checked' })),
                el('div', { class: 'weui-cell__bd', text: `${id} · ${SETS[id] || 'Permission set'}` })));
        const save = el('button', { type: 'button', class: 'weui-btn weui-btn_mini weui-btn_primary lj-change', text: 'Save change' });
        const cancel = el('button', { type: 'button', class: 'weui-btn weui-btn_mini weui-btn_warn lj-cancel', text: 'Cancel authorization' });
        const box = el('div', { class: 'lj-authorization', 'data-component': a.component_appid },
            el('div', { class: 'weui-cells__title', text: `${a.component_name || a.component_appid} (${a.component_appid})` }),
            el('div', { class: 'weui-cells weui-cells_checkbox' }, boxes),
            el('div', { class: 'weui-btn-area lj-actions' }, save, cancel));
        save.addEventListener('click', async () => {
            const keep = [...box.querySelectorAll('input:checked')].map((i) => Number(i.value));
            if (!keep.length)
                return LJ.toast('Leave at least one set, or cancel the authorization.');
            try {
                await LJ.post('/client/v1/authorizations/update', { appid: account.appid, component_appid: a.component_appid, func_sets: keep });
                LJ.toast('Saved', 'ok');
                load();
            } catch (e) {
                LJ.toast(LJ.explain(e));
            }
        });
        cancel.addEventListener('click', async () => {
            const who = a.component_name || a.component_appid;
            if (!(await LJ.confirm(`Cancel ${who}?`, `${who} will no longer manage ${account.name}. You can authorize it again later.`, 'Cancel authorization', true)))
                return;
            try {
                await LJ.post('/client/v1/authorizations/cancel', { appid: account.appid, component_appid: a.component_appid });
                LJ.toast('Cancelled', 'ok');
                load();
            } catch (e) {
                LJ.toast(LJ.explain(e));
            }
        });
        return box;
    }

    function accountBlock(account) {
        const list = account.authorizations.map((a) => authorization(account, a));
        return el('section', { class: 'lj-admin-account', 'data-appid': account.appid },
            el('h2', { class: 'lj-subtitle', text: account.name }),
            list.length ? list : el('p', { class: 'lj-empty', text: 'No third party is authorized.' }));
    }

    async function load() {
        try {
            const r = await LJ.get('/client/v1/administered');
            const accounts = Array.isArray(r.accounts) ? r.accounts : [];
            $('accounts').replaceChildren(...accounts.map(accountBlock));
            $('empty').hidden = accounts.length > 0;
            $('count').textContent = `${accounts.length} account${accounts.length === 1 ? '' : 's'}`;
        } catch (e) {
            $('count').textContent = LJ.explain(e);
        }
    }

    load();
})();
