/*
 * templates_lib: the data of template messages: WeChat's industry list (api_set_industry ids
 * 1-41 and their first and second class names, as get_industry answers them), lianjie's
 * template library, and filling a template's {{key.DATA}} placeholders. No SQL, no store.
 */
#define _GNU_SOURCE /* memmem */
#include "templates.h"
#include "../util/err.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ industries */

/* the first and second class of each industry id, with "|" between parts of a name */
static const struct {
    const char *first, *second;
} industries[TEMPLATE_INDUSTRY_MAX + 1] = {
    [1] = {"IT科技", "互联网|电子商务"},
    [2] = {"IT科技", "IT软件与服务"},
    [3] = {"IT科技", "IT硬件与设备"},
    [4] = {"IT科技", "电子技术"},
    [5] = {"IT科技", "通信与运营商"},
    [6] = {"IT科技", "网络游戏"},
    [7] = {"金融业", "银行"},
    [8] = {"金融业", "基金|理财|信托"},
    [9] = {"金融业", "保险"},
    [10] = {"餐饮", "餐饮"},
    [11] = {"酒店旅游", "酒店"},
    [12] = {"酒店旅游", "旅游"},
    [13] = {"运输与仓储", "快递"},
    [14] = {"运输与仓储", "物流"},
    [15] = {"运输与仓储", "仓储"},
    [16] = {"教育", "培训"},
    [17] = {"教育", "院校"},
    [18] = {"政府与公共事业", "学术科研"},
    [19] = {"政府与公共事业", "交警"},
    [20] = {"政府与公共事业", "博物馆"},
    [21] = {"政府与公共事业", "公共事业|非盈利机构"},
    [22] = {"医药护理", "医药医疗"},
    [23] = {"医药护理", "护理美容"},
    [24] = {"医药护理", "保健与卫生"},
    [25] = {"交通工具", "汽车相关"},
    [26] = {"交通工具", "摩托车相关"},
    [27] = {"交通工具", "火车相关"},
    [28] = {"交通工具", "飞机相关"},
    [29] = {"房地产", "建筑"},
    [30] = {"房地产", "物业"},
    [31] = {"消费品", "消费品"},
    [32] = {"商业服务", "法律"},
    [33] = {"商业服务", "会展"},
    [34] = {"商业服务", "中介服务"},
    [35] = {"商业服务", "认证"},
    [36] = {"商业服务", "审计"},
    [37] = {"文体娱乐", "传媒"},
    [38] = {"文体娱乐", "体育"},
    [39] = {"文体娱乐", "娱乐休闲"},
    [40] = {"印刷", "印刷"},
    [41] = {"其它", "其它"},
};

const char *templates_industry_first(int64_t id)
{
    return id >= 1 && id <= TEMPLATE_INDUSTRY_MAX ? industries[id].first : NULL;
}

const char *templates_industry_second(int64_t id)
{
    return id >= 1 && id <= TEMPLATE_INDUSTRY_MAX ? industries[id].second : NULL;
}

/* ------------------------------------------------------------------ the library */

struct lib_entry {
    const char *short_id;
    int industry_id;
    const char *title;
    const char *content;
    const char *example;
};

#define F "{{first.DATA}}\n"
#define R "\n{{remark.DATA}}"

static const struct lib_entry library[] = {
    {"TM00015", 1, "订单支付成功",
     F "支付金额：{{orderMoneySum.DATA}}\n商品信息：{{orderProductName.DATA}}\n{{Remark.DATA}}",
     "我们已收到您的货款，开始为您打包商品，请耐心等待！\n"
     "支付金额：30.00元\n商品信息：我是商品名字\n"
     "如有问题请直接在微信留言，我们将第一时间为您服务！"},
    {"TM00230", 1, "积分变动通知",
     F "会员：{{keyword1.DATA}}\n变动时间：{{keyword2.DATA}}\n变动积分：{{keyword3.DATA}}\n"
       "当前积分：{{keyword4.DATA}}" R,
     "您的积分发生了变动\n会员：张三\n变动时间：2014-09-22 12:00\n变动积分：+100\n当前积分：1100\n"
     "感谢您的支持"},
    {"TM00001", 1, "购买成功通知",
     F "商品名称：{{keyword1.DATA}}\n购买数量：{{keyword2.DATA}}\n订单金额：{{keyword3.DATA}}" R,
     "您好，您已购买成功。\n商品名称：巧克力\n购买数量：1\n订单金额：39.8元\n欢迎再次购买！"},
    {"TM00016", 1, "订单发货通知",
     F "订单编号：{{keyword1.DATA}}\n物流公司：{{keyword2.DATA}}\n物流单号：{{keyword3.DATA}}" R,
     "您的订单已发货\n订单编号：2014092200001\n物流公司：顺丰速运\n物流单号：SF1000000001\n"
     "请注意查收"},
    {"TM00017", 1, "退款通知", F "退款原因：{{keyword1.DATA}}\n退款金额：{{keyword2.DATA}}" R,
     "您的退款已处理\n退款原因：商品缺货\n退款金额：39.8元\n款项将原路退回"},
    {"OPENTM202109783", 1, "咨询回复消息提醒",
     F "咨询名称：{{keyword1.DATA}}\n消息回复：{{keyword2.DATA}}" R,
     "您的咨询有了新的回复\n咨询名称：售后问题\n消息回复：您好，已为您处理\n点击查看详情"},
    {"OPENTM407362300", 1, "商户注册审核通知",
     F "用户名：{{keyword1.DATA}}\n手机号：{{keyword2.DATA}}\n时间：{{keyword3.DATA}}" R,
     "有商户申请加盟平台，请及时审核！\n用户名：张三\n手机号：138****0000\n"
     "时间：2014-09-22 12:00\n请尽快处理"},
    {"OPENTM207941156", 1, "签到提醒",
     F "签到时间：{{keyword1.DATA}}\n签到地点：{{keyword2.DATA}}" R,
     "您已签到成功\n签到时间：2014-09-22 08:30\n签到地点：一号门\n祝您工作愉快"},
    {"OPENTM415938509", 1, "会员开通成功通知",
     F "订单号：{{keyword1.DATA}}\n会员类型：{{keyword2.DATA}}\n支付金额：{{keyword3.DATA}}\n"
       "有效期限：{{keyword4.DATA}}" R,
     "恭喜您成为会员\n订单号：2014092200001\n会员类型：年度会员\n支付金额：199元\n"
     "有效期限：2015-09-22\n感谢您的支持"},
    {"TM00101", 2, "服务到期提醒", F "服务名称：{{keyword1.DATA}}\n到期时间：{{keyword2.DATA}}" R,
     "您的服务即将到期\n服务名称：云主机\n到期时间：2014-10-01\n请及时续费"},
    {"TM00102", 2, "工单处理通知",
     F "工单编号：{{keyword1.DATA}}\n处理状态：{{keyword2.DATA}}\n处理人：{{keyword3.DATA}}" R,
     "您的工单有新进展\n工单编号：T20140922\n处理状态：已解决\n处理人：客服小王\n如有疑问请回复"},
    {"TM00120", 5, "话费充值成功通知",
     F "充值号码：{{keyword1.DATA}}\n充值金额：{{keyword2.DATA}}\n充值时间：{{keyword3.DATA}}" R,
     "充值成功\n充值号码：138****0000\n充值金额：50元\n充值时间：2014-09-22 12:00\n"
     "感谢您的使用"},
    {"TM00130", 6, "游戏活动通知", F "活动名称：{{keyword1.DATA}}\n活动时间：{{keyword2.DATA}}" R,
     "新活动开始了\n活动名称：周年庆\n活动时间：9月22日至9月30日\n快来参加吧"},
    {"TM00140", 7, "账户资金变动提醒",
     F "交易时间：{{keyword1.DATA}}\n交易类型：{{keyword2.DATA}}\n交易金额：{{keyword3.DATA}}\n"
       "账户余额：{{keyword4.DATA}}" R,
     "您的账户有一笔资金变动\n交易时间：2014-09-22 12:00\n交易类型：消费\n交易金额：260.00元\n"
     "账户余额：6504.09元\n如有疑问请致电客服"},
    {"TM00141", 7, "信用卡还款提醒",
     F "还款金额：{{keyword1.DATA}}\n最后还款日：{{keyword2.DATA}}" R,
     "您本期账单已出\n还款金额：1200.00元\n最后还款日：2014-10-10\n请按时还款"},
    {"TM00150", 9, "保单生效通知",
     F "保单号：{{keyword1.DATA}}\n险种名称：{{keyword2.DATA}}\n保障期限：{{keyword3.DATA}}" R,
     "您的保单已生效\n保单号：P20140922\n险种名称：意外险\n保障期限：一年\n感谢您的信任"},
    {"TM00160", 10, "排队叫号提醒", F "排队号码：{{keyword1.DATA}}\n前面等待：{{keyword2.DATA}}" R,
     "快到您了\n排队号码：A012\n前面等待：2桌\n请到前台就餐"},
    {"TM00161", 10, "外卖订单状态通知",
     F "订单编号：{{keyword1.DATA}}\n订单状态：{{keyword2.DATA}}\n预计送达：{{keyword3.DATA}}" R,
     "您的外卖已出发\n订单编号：W20140922\n订单状态：配送中\n预计送达：12:30\n祝您用餐愉快"},
    {"TM00170", 11, "酒店预订成功通知",
     F "酒店名称：{{keyword1.DATA}}\n入住日期：{{keyword2.DATA}}\n离店日期：{{keyword3.DATA}}\n"
       "房型：{{keyword4.DATA}}" R,
     "您的预订已确认\n酒店名称：如家酒店\n入住日期：2014-09-22\n离店日期：2014-09-23\n"
     "房型：大床房\n期待您的光临"},
    {"TM00180", 12, "出行提醒",
     F "线路名称：{{keyword1.DATA}}\n出发时间：{{keyword2.DATA}}\n集合地点：{{keyword3.DATA}}" R,
     "您的行程即将出发\n线路名称：黄山三日游\n出发时间：2014-09-22 07:00\n"
     "集合地点：火车站广场\n祝您旅途愉快"},
    {"TM00190", 13, "快递派送通知",
     F "快递单号：{{keyword1.DATA}}\n派送员：{{keyword2.DATA}}\n联系电话：{{keyword3.DATA}}" R,
     "您的快递正在派送\n快递单号：SF1000000001\n派送员：李师傅\n联系电话：139****0000\n"
     "请保持电话畅通"},
    {"TM00200", 14, "物流状态更新通知",
     F "运单号：{{keyword1.DATA}}\n当前状态：{{keyword2.DATA}}\n更新时间：{{keyword3.DATA}}" R,
     "您的货物有新动态\n运单号：L20140922\n当前状态：已到达上海分拨中心\n"
     "更新时间：2014-09-22 12:00\n点击查看详情"},
    {"TM00210", 16, "课程开课提醒",
     F "课程名称：{{keyword1.DATA}}\n上课时间：{{keyword2.DATA}}\n上课地点：{{keyword3.DATA}}" R,
     "您报名的课程即将开课\n课程名称：英语口语\n上课时间：2014-09-22 19:00\n"
     "上课地点：301教室\n请准时参加"},
    {"TM00211", 17, "成绩发布通知", F "考试名称：{{keyword1.DATA}}\n成绩：{{keyword2.DATA}}" R,
     "成绩已发布\n考试名称：期中考试\n成绩：92分\n继续加油"},
    {"TM00220", 22, "预约挂号成功通知",
     F "就诊医院：{{keyword1.DATA}}\n就诊科室：{{keyword2.DATA}}\n就诊时间：{{keyword3.DATA}}" R,
     "您已预约成功\n就诊医院：人民医院\n就诊科室：内科\n就诊时间：2014-09-22 09:00\n"
     "请携带身份证按时就诊"},
    {"TM00240", 25, "车辆保养提醒",
     F "车牌号：{{keyword1.DATA}}\n保养项目：{{keyword2.DATA}}\n建议时间：{{keyword3.DATA}}" R,
     "您的爱车该保养了\n车牌号：沪A00000\n保养项目：更换机油\n建议时间：2014-10-01\n"
     "欢迎预约到店"},
    {"TM00250", 28, "航班动态提醒",
     F "航班号：{{keyword1.DATA}}\n起飞时间：{{keyword2.DATA}}\n登机口：{{keyword3.DATA}}" R,
     "您的航班即将起飞\n航班号：MU5101\n起飞时间：2014-09-22 08:00\n登机口：A12\n"
     "请提前到达登机口"},
    {"TM00260", 30, "物业缴费通知",
     F "缴费项目：{{keyword1.DATA}}\n缴费金额：{{keyword2.DATA}}\n截止日期：{{keyword3.DATA}}" R,
     "您有一笔物业费待缴\n缴费项目：物业管理费\n缴费金额：300.00元\n截止日期：2014-09-30\n"
     "请及时缴纳"},
    {"TM00270", 31, "会员卡开卡成功通知",
     F "会员卡号：{{keyword1.DATA}}\n开卡时间：{{keyword2.DATA}}" R,
     "恭喜您成为我们的会员\n会员卡号：888888\n开卡时间：2014-09-22\n消费即可累积积分"},
    {"TM00280", 38, "赛事报名成功通知",
     F "赛事名称：{{keyword1.DATA}}\n比赛时间：{{keyword2.DATA}}" R,
     "您已报名成功\n赛事名称：城市马拉松\n比赛时间：2014-10-12 07:30\n请准时检录"},
    {"TM00290", 39, "活动预约成功通知",
     F "活动名称：{{keyword1.DATA}}\n活动时间：{{keyword2.DATA}}\n活动地点：{{keyword3.DATA}}" R,
     "您已预约成功\n活动名称：亲子手工课\n活动时间：2014-09-27 14:00\n活动地点：活动中心\n"
     "期待您的到来"},
    {"TM00300", 41, "审核结果通知", F "审核内容：{{keyword1.DATA}}\n审核结果：{{keyword2.DATA}}" R,
     "您提交的申请已审核\n审核内容：实名认证\n审核结果：通过\n感谢您的配合"},
};

#undef F
#undef R

static const struct lib_entry *lib_find(const char *short_id)
{
    for (size_t i = 0; i < sizeof(library) / sizeof(library[0]); i++)
        if (strcmp(library[i].short_id, short_id) == 0)
            return &library[i];
    return NULL;
}

/* 1 if s is prefix followed by 1 to max digits */
static int digits_after(const char *s, const char *prefix, size_t max)
{
    size_t p = strlen(prefix);
    if (strncmp(s, prefix, p) != 0)
        return 0;
    size_t n = strspn(s + p, "0123456789");
    return n >= 1 && n <= max && s[p + n] == 0;
}

static const char generic_content[] = "{{first.DATA}}\n{{keyword1.DATA}}\n{{keyword2.DATA}}\n"
                                      "{{keyword3.DATA}}\n{{keyword4.DATA}}\n"
                                      "{{keyword5.DATA}}\n{{remark.DATA}}";

int templates_lib_lookup(const char *short_id, const char *const *names, size_t n,
                         struct template_def *def)
{
    int tm = digits_after(short_id, "TM", 10) || digits_after(short_id, "OPENTM", 12);
    int category = digits_after(short_id, "", 10);
    const struct lib_entry *e = lib_find(short_id);
    memset(def, 0, sizeof(*def));
    buf_init(&def->content, 0);
    def->example = "";
    if (e) {
        def->industry_id = e->industry_id;
        def->from_library = 1;
        snprintf(def->title, sizeof(def->title), "%s", e->title);
        buf_puts(&def->content, e->content);
        def->example = e->example;
        return 0;
    }
    if (!tm && !category)
        return ERR_INVALID_TEMPLATE_ID;
    if (n == 0 && category)
        return ERR_KEYWORD_NAME_INVALID;
    snprintf(def->title, sizeof(def->title), "%s", n ? "类目模板消息" : "模板消息");
    if (n == 0)
        buf_puts(&def->content, generic_content);
    for (size_t i = 0; i < n; i++)
        buf_printf(&def->content, "%s%s：{{keyword%zu.DATA}}", i ? "\n" : "", names[i], i + 1);
    return 0;
}

/* ------------------------------------------------------------------ filling in */

/* the value of data.key for the key before ".DATA" in inner; NULL if none */
static const char *placeholder_value(const char *inner, size_t n, const cJSON *data, int *is_ph)
{
    static const char suffix[] = ".DATA";
    size_t sl = sizeof(suffix) - 1;
    char key[128];
    *is_ph = 0;
    while (n > 0 && (*inner == ' ' || *inner == '\t'))
        inner++, n--;
    while (n > 0 && (inner[n - 1] == ' ' || inner[n - 1] == '\t'))
        n--;
    if (n <= sl || memcmp(inner + n - sl, suffix, sl) != 0)
        return NULL;
    *is_ph = 1;
    if (n - sl >= sizeof(key))
        return NULL;
    memcpy(key, inner, n - sl);
    key[n - sl] = 0;
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(data, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, "value");
    return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

/* one line (without its newline) into out; 0 when it held only placeholders without values */
static int render_line(const char *p, size_t n, const cJSON *data, struct buf *out)
{
    int holes = 0, other = 0;
    const char *end = p + n;
    while (p < end) {
        const char *open = memmem(p, (size_t)(end - p), "{{", 2);
        const char *close = open ? memmem(open + 2, (size_t)(end - open - 2), "}}", 2) : NULL;
        const char *stop = close ? open : end;
        for (const char *q = p; q < stop; q++)
            other |= *q != ' ' && *q != '\t' && *q != '\r';
        buf_append(out, p, (size_t)(stop - p));
        if (!close)
            break;
        int is_ph;
        const char *v = placeholder_value(open + 2, (size_t)(close - open - 2), data, &is_ph);
        if (v) {
            buf_puts(out, v);
            other = 1;
        } else if (is_ph) {
            holes++;
        } else {
            buf_append(out, open, (size_t)(close + 2 - open));
            other = 1;
        }
        p = close + 2;
    }
    return other || holes == 0;
}

void templates_render(const char *content, const cJSON *data, struct buf *out)
{
    int lines = 0;
    struct buf line = BUF_INIT;
    while (*content) {
        size_t n = strcspn(content, "\n");
        buf_reset(&line);
        if (render_line(content, n, data, &line)) {
            if (lines++)
                buf_putc(out, '\n');
            buf_append(out, line.ptr, line.len);
        }
        content += n + (content[n] == '\n');
    }
    buf_release(&line);
}
