namespace Dispatch.Server.RiskAssessments;

public sealed record RiskKind(string Code, string Name, string NameEn);

/// <summary>
/// The 11 kinds of major decisions and projects that must be assessed before they are carried out.
/// 鹤壁市社会稳定风险评估暂行办法 names the count, not the list: this list is ours, from the kinds
/// Chinese 稳评 rules usually name (docs/PRODUCT.md), and may change without a migration (the table
/// checks only the shape of a code).
/// </summary>
public static class RiskKinds
{
    public static readonly IReadOnlyList<RiskKind> All =
    [
        new("land_acquisition", "征地拆迁", "Land acquisition and demolition"),
        new("land_transfer", "农村土地流转", "Rural land transfer"),
        new("soe_restructuring", "国企改制重组", "State-owned enterprise restructuring"),
        new("major_construction", "重大工程建设项目", "Major construction project"),
        new("environmental", "环境影响较大的项目", "Project with a major environmental impact"),
        new("utility_pricing", "公用事业价格调整（水电气、公交）", "Utility price change (water, power, gas, buses)"),
        new("social_security", "社会保障政策调整", "Social-security policy change"),
        new("public_services_reform", "教育医疗卫生改革", "Education, medical and health reform"),
        new("urban_planning", "城乡规划调整", "Urban and rural planning change"),
        new("enterprise_relocation", "企业搬迁关停", "Enterprise relocation or closure"),
        new("other_major_decision", "其他涉及群众切身利益的重大决策", "Other major decision touching people's vital interests"),
    ];

    public static RiskKind? Find(string? code) => All.FirstOrDefault(k => k.Code == code);
}
