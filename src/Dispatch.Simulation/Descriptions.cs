namespace Dispatch.Simulation;

/// <summary>
/// What reporters say and what staff write back, a few plausible templates per category.
/// <c>{place}</c> is the village or community, <c>{n}</c> a small number, <c>{m}</c> a sum of money.
/// Reporters' names and phones are made up (family name + given name; 13x–19x mobile numbers).
/// </summary>
public static partial class Descriptions
{
    static readonly Dictionary<string, string[]> Reports = new()
    {
        ["dispute.neighbour"] =
        [
            "{place}两户村民因宅基地边界院墙归属发生争执，双方情绪激动，请求调解。",
            "{place}楼上住户长期夜间噪音扰民，楼下住户多次沟通无果，矛盾有激化倾向。",
            "{place}村民在自家门前堆放杂物、占用公共通道，与邻居发生口角。",
            "{place}两家因排水沟堵塞、污水流入邻院发生纠纷，要求村里出面协调。",
        ],
        ["dispute.family"] =
        [
            "{place}一对夫妻因家庭琐事多次争吵，女方回娘家，双方家属有冲突苗头。",
            "{place}兄弟{n}人因老人赡养费用分摊问题产生矛盾，老人生活无着落。",
            "{place}村民反映儿子儿媳闹离婚，涉及子女抚养和彩礼返还问题，请求调解。",
            "{place}家庭成员因房产继承分配不均发生争执，已多次吵闹。",
        ],
        ["dispute.land"] =
        [
            "{place}两户因承包地地界不清发生争执，一方已毁坏对方青苗约{n}分地。",
            "{place}村民反映土地流转合同到期后承包方拒不交还土地。",
            "{place}因机耕路占地补偿问题，{n}户村民与村组产生分歧。",
        ],
        ["dispute.wages"] =
        [
            "{place}附近工地{n}名务工人员反映被拖欠工资约{m}元，情绪激动，聚集在项目部门口。",
            "{place}一家加工厂停产，{n}名工人称被拖欠{n}个月工资，要求协调解决。",
            "{place}装修工人反映包工头拖欠劳务费{m}元后失联。",
        ],
        ["dispute.debt"] =
        [
            "{place}村民反映借给同村人{m}元到期未还，多次催要发生争吵。",
            "{place}个体商户与供货商因货款{m}元结算产生纠纷。",
            "{place}村民之间因合伙养殖亏损分担问题发生债务纠纷。",
        ],
        ["dispute.property"] =
        [
            "{place}小区业主反映电梯频繁故障，物业公司迟迟不维修，业主拒交物业费。",
            "{place}小区物业擅自提高停车费，{n}余户业主聚集反映。",
            "{place}小区供暖不达标，业主与物业公司发生争执。",
        ],
        ["dispute.demolition"] =
        [
            "{place}征迁户对房屋评估补偿标准有异议，拒绝签订协议。",
            "{place}村民反映安置房交付延期，过渡费未按时发放，{n}户联名反映。",
            "{place}因拆迁范围划定问题，部分村民阻挠施工。",
        ],
        ["petition"] =
        [
            "{place}村民反映低保评定不公，要求重新核查，称不解决将到市里上访。",
            "{place}群众反映村务财务不公开，对集体土地收益分配有意见，{n}人联名信访。",
            "{place}退役军人反映优抚待遇未落实，多次来访。",
        ],
        ["safety"] =
        [
            "{place}主干道旁电线杆倾斜，电线低垂，存在触电隐患。",
            "{place}一处自建房外墙出现裂缝，住户仍在居住，存在安全隐患。",
            "{place}居民楼楼道内电动车违规充电，飞线接电，存在火灾隐患。",
            "{place}沟渠边护栏缺失，临近学校，存在学生落水隐患。",
            "{place}小餐馆液化气瓶与灶具距离过近，未安装报警装置。",
        ],
        ["order"] =
        [
            "{place}夜市摊点有人酒后滋事，与摊主发生推搡。",
            "{place}有人在村口多次拦车强行收费，群众反映强烈。",
            "{place}网吧附近有{n}名青少年聚集斗殴苗头，请求处置。",
            "{place}有人深夜燃放烟花并与劝阻居民发生争吵。",
        ],
        ["criminal"] =
        [
            "{place}村民报称夜间家中被盗，丢失现金约{m}元及手机一部。",
            "{place}多户村民反映电动车电瓶被盗。",
            "{place}有老人接到冒充公检法电话，已转账{m}元，疑似电信诈骗。",
        ],
        ["accident"] =
        [
            "{place}路口两车相撞，有人员受伤，道路部分拥堵。",
            "{place}一辆农用三轮车侧翻，驾驶人腿部受伤。",
            "{place}施工工地有工人从脚手架坠落受伤，已拨打120。",
            "{place}电动车与行人相撞，双方就赔偿发生争执。",
        ],
        ["service"] =
        [
            "{place}路灯损坏{n}盏，夜间出行不便，请求维修。",
            "{place}自来水停水已超过一天，未见通知，请求协调恢复供水。",
            "{place}生活垃圾清运不及时，垃圾桶满溢，异味大。",
            "{place}道路坑洼积水，群众出行不便，请求修补。",
            "{place}老人咨询城乡居民养老保险缴费和领取手续。",
            "{place}下水道堵塞反味，请求疏通。",
        ],
    };

    static readonly Dictionary<string, string[]> Resolutions = new()
    {
        ["dispute"] = ["经网格员和调解员现场调解，双方达成和解协议。", "组织双方当面协商，已签订调解协议书，约定回访。", "依据村规民约和相关法律释法说理，当事人表示接受。"],
        ["petition"] = ["已向信访人解释政策并出具书面答复，信访人表示认可。", "会同相关部门核查，已依规落实，信访人息诉罢访。"],
        ["safety"] = ["已通知责任单位现场整改，隐患已消除。", "已设置警示标志并督促产权人完成整改。"],
        ["order"] = ["民警到场处置，当事人已被批评教育，秩序恢复正常。", "已驱散聚集人员并加强巡逻。"],
        ["criminal"] = ["已立案侦查，相关情况已移交派出所跟进。", "已固定证据并告知报案人后续流程。"],
        ["accident"] = ["伤者已送医，现场已清理，交通恢复。", "已协助交警完成现场处置，双方就赔偿达成一致。"],
        ["service"] = ["已联系主管部门处理完毕，群众表示满意。", "已现场解答并帮助办理相关手续。"],
    };

    static readonly string[] Families = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "郭", "马", "罗", "宋", "郑", "谢", "韩", "冯", "崔", "秦", "申", "牛", "岳"];
    static readonly string[] Givens = ["建军", "秀兰", "志刚", "桂芳", "卫东", "丽娟", "海涛", "玉梅", "国强", "小红", "永生", "春花", "天明", "晓燕", "德福", "淑珍", "振华", "亚楠", "子涵", "浩然"];
    static readonly string[] MobilePrefixes = ["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155", "157", "158", "159", "166", "176", "177", "180", "182", "183", "185", "186", "187", "188", "189", "191", "199"];

    public static string Report(string category, string place, Random rng) => Fill(Pick(Reports[category], rng), place, rng);

    public static string Repeat(string category, string place, Random rng) =>
        (rng.Next(2) == 0 ? "又有群众来电反映：" : "另一名群众反映同一情况：") + Report(category, place, rng);

    public static string Resolution(string category, Random rng) =>
        Pick(Resolutions.GetValueOrDefault(CityMix.IsDispute(category) ? "dispute" : category, Resolutions["service"]), rng);

    public static string Name(Random rng) => Pick(Families, rng) + Pick(Givens, rng);

    public static string Phone(Random rng) => Pick(MobilePrefixes, rng) + rng.Next(0, 100_000_000).ToString("D8");

    /// <summary>The village or community of a grid named like "纸坊村第1网格".</summary>
    public static string Place(string gridName)
    {
        var cut = gridName.IndexOf("第", StringComparison.Ordinal);
        return cut > 0 ? gridName[..cut] : gridName;
    }

    static string Fill(string template, string place, Random rng) =>
        Slot().Replace(template.Replace("{place}", place), m => m.Value == "{n}" ? rng.Next(2, 12).ToString() : (rng.Next(5, 400) * 100).ToString("N0"));

    [System.Text.RegularExpressions.GeneratedRegex(@"\{[nm]\}")]
    private static partial System.Text.RegularExpressions.Regex Slot();

    public static T Pick<T>(IReadOnlyList<T> items, Random rng) => items[rng.Next(items.Count)];
}
