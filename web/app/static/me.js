// /app/me: the user's name, password, the websites and accounts they signed in to with
// lianjie (web authorization: each can be revoked), and signing out.
'use strict';

(function () {
    const { el } = LJ;
    const $ = (id) => document.getElementById(id);
    const SCOPES = { snsapi_base: 'your identity', snsapi_userinfo: 'your profile', snsapi_login: 'your profile (website login)' };

    function show(u) {
        $('avatar').replaceChildren(LJ.avatar({ name: u.nickname, avatar: u.headimgurl || u.avatar }, 'lj-avatar lj-avatar_big'));
        $('me-name').textContent = u.nickname;
        $('me-username').textContent = u.username;
        $('nickname').value = u.nickname;
    }

    function app(a) {
        const revoke = el('button', { type: 'button', class: 'weui-btn weui-btn_mini weui-btn_warn lj-revoke', text: 'Revoke' });
        revoke.addEventListener('click', async () => {
            if (!(await LJ.confirm(`Revoke ${a.name}?`, `${a.name} will no longer see ${SCOPES[a.scope] || 'you'}; it asks again next time.`, 'Revoke', true)))
                return;
            try {
                await LJ.post('/client/v1/me/authorized/revoke', { appid: a.appid });
                LJ.toast('Revoked', 'ok');
                loadApps();
            } catch (e) {
                LJ.toast(LJ.explain(e));
            }
        });
        return el('div', { class: 'weui-cell lj-app', 'data-appid': a.appid },
            el('div', { class: 'weui-cell__hd' }, LJ.avatar(a)),
            el('div', { class: 'weui-cell__bd' },
                el('div', { class: 'lj-account__name', text: a.name }),
                el('div', { class: 'lj-account__kind', text: `Sees ${SCOPES[a.scope] || a.scope} · since ${LJ.time(a.granted_at)}` })),
            el('div', { class: 'weui-cell__ft' }, revoke));
    }

    async function loadApps() {
        const r = await LJ.get('/client/v1/me/authorized');
        const apps = Array.isArray(r.apps) ? r.apps : [];
        $('apps').replaceChildren(...apps.map(app));
        $('apps').hidden = apps.length === 0;
        $('apps-empty').hidden = apps.length > 0;
    }

    $('name-form').addEventListener('submit', async (ev) => {
        ev.preventDefault();
        try {
            const r = await LJ.post('/client/v1/me/profile', { nickname: $('nickname').value.trim() });
            show(r.user);
            LJ.toast('Saved', 'ok');
        } catch (e) {
            LJ.toast(LJ.explain(e));
        }
    });

    $('password-form').addEventListener('submit', async (ev) => {
        ev.preventDefault();
        try {
            await LJ.post('/client/v1/me/password', { password: $('current').value, new_password: $('new-password').value });
            ev.target.reset();
            LJ.toast('Password changed', 'ok');
        } catch (e) {
            LJ.toast(e.status === 403 ? 'The current password is wrong.' : e.status === 429 ? 'Too many attempts: wait a minute.' : LJ.explain(e));
        }
    });

    $('logout').addEventListener('click', async () => {
        try {
            await LJ.post('/client/v1/logout', {});
        } catch (e) {
            if (e.status !== 401)
                return LJ.toast(LJ.explain(e));
        }
        location.href = '/app/login';
        return undefined;
    });

    (async () => {
        try {
            const r = await LJ.get('/client/v1/me');
            show(r.user);
            await loadApps();
        } catch (e) {
            if (e.status !== 401)
                LJ.toast(LJ.explain(e));
        }
    })();
})();
