// /app/account?appid=...: an official account's profile, as WeChat shows it: its picture,
// name and kind, and Follow / Unfollow, Send a message and its chat history.
'use strict';

(function () {
    const $ = (id) => document.getElementById(id);
    const appid = LJ.param('appid');
    const KINDS = { service: 'Service account', subscription: 'Subscription account' };
    let account = null;

    function paint() {
        const on = account.following;
        $('toggle').textContent = on ? 'Unfollow' : 'Follow';
        $('toggle').classList.toggle('weui-btn_primary', !on);
        $('toggle').classList.toggle('weui-btn_default', on);
        $('open-chat').hidden = !on;
        $('history').hidden = !on;
    }

    $('toggle').addEventListener('click', async () => {
        const want = !account.following;
        if (!want && !(await LJ.confirm(`Unfollow ${account.name}?`, 'You will no longer receive its messages.', 'Unfollow', true)))
            return;
        $('toggle').disabled = true;
        try {
            await LJ.post(want ? '/client/v1/follow' : '/client/v1/unfollow', { appid });
            account.following = want;
            paint();
            if (want)
                LJ.toast(`Following ${account.name}`, 'ok');
        } catch (e) {
            LJ.toast(LJ.explain(e));
        } finally {
            $('toggle').disabled = false;
        }
    });

    async function load() {
        if (!/^wx[0-9a-f]{16}$/.test(appid)) {
            $('missing').hidden = false;
            return;
        }
        try {
            const r = await LJ.get(`/client/v1/accounts/get?appid=${encodeURIComponent(appid)}`);
            account = r.account;
        } catch (e) {
            if (e.status !== 401)
                $('missing').hidden = false;
            return;
        }
        document.title = account.name;
        $('avatar').replaceChildren(LJ.avatar(account, 'lj-avatar lj-avatar_big'));
        $('profile-name').textContent = account.name;
        $('profile-kind').textContent = `${KINDS[account.type] || 'Official account'}${account.verified ? ' · verified' : ''}`;
        $('open-chat').href = `/app/chat?appid=${encodeURIComponent(appid)}`;
        $('history').href = `/app/history?appid=${encodeURIComponent(appid)}`;
        $('profile').hidden = false;
        $('actions').hidden = false;
        paint();
    }

    load();
})();
