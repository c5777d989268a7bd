namespace Dispatch.Simulation;

/// <summary>The intake channels of PRODUCT.md, in the order of <see cref="Kind.Sources"/>.</summary>
public enum Source { GridWorker, Hotline, WalkIn, PoliceTransfer, Online }

/// <summary>
/// One kind of incident: its share of all reports, how weekends change it, where its reports come
/// from, and how often the dispatcher rejects it, escalates it at intake, or gets it reported twice.
/// </summary>
public sealed record Kind(string Code, double Share, double Weekend, double[] Sources, double Reject, double Escalate, double Duplicate);

/// <summary>
/// What Hebi reports, in one table. The shares follow the article's emphasis (矛盾纠纷 is the core
/// of grid governance, 民生诉求 the bulk of 12345 traffic) and the categories' own priorities:
/// <list type="bullet">
/// <item>Disputes 44 %: neighbour and family quarrels most, and more at weekends, when people are
/// at home; land, wage, debt and demolition disputes are working-day business and are the ones
/// that climb the escalation ladder (demolition 15 %, wages 5 %).</item>
/// <item>Public-service requests 24 %, safety hazards 12 % (mostly found by grid workers on patrol),
/// public order 9 % and accidents 5 % (mostly transferred from 110), petitions 4 % (walk-ins, few
/// at weekends), criminal cases 2 %.</item>
/// <item>Rejections (不予受理) come to about 3 %: service requests and petitions outside the
/// platform's remit, debts that belong in court. Intake escalations come to about 2 %, failed
/// mediations on scene add about 0.7 %. Visible events get reported twice (an accident 15 % of the
/// time): the server flags the twin and the dispatcher cancels it, about 3 % of reports; reporters
/// withdraw another 1 %.</item>
/// </list>
/// </summary>
public static class CityMix
{
    //   Sources:                           grid worker, hotline 12345, walk-in, 110 transfer, online
    public static readonly Kind[] Kinds =
    [
        //  code                  share  weekend  sources                          reject  escalate  duplicate
        new("dispute.neighbour",  0.14,  1.30,    [0.35, 0.30, 0.15, 0.15, 0.05],  0.02,   0.01,     0.01),
        new("dispute.family",     0.08,  1.30,    [0.20, 0.20, 0.20, 0.35, 0.05],  0.02,   0.01,     0.01),
        new("dispute.land",       0.05,  0.80,    [0.45, 0.15, 0.30, 0.05, 0.05],  0.03,   0.04,     0.01),
        new("dispute.wages",      0.05,  0.70,    [0.15, 0.45, 0.25, 0.05, 0.10],  0.03,   0.05,     0.02),
        new("dispute.debt",       0.04,  0.90,    [0.15, 0.35, 0.30, 0.10, 0.10],  0.06,   0.02,     0.01),
        new("dispute.property",   0.06,  1.20,    [0.25, 0.45, 0.10, 0.05, 0.15],  0.03,   0.02,     0.02),
        new("dispute.demolition", 0.02,  0.70,    [0.30, 0.20, 0.40, 0.05, 0.05],  0.02,   0.15,     0.02),
        new("petition",           0.04,  0.50,    [0.20, 0.20, 0.50, 0.00, 0.10],  0.05,   0.08,     0.02),
        new("safety",             0.12,  1.00,    [0.60, 0.25, 0.02, 0.03, 0.10],  0.02,   0.01,     0.05),
        new("order",              0.09,  1.20,    [0.25, 0.20, 0.05, 0.45, 0.05],  0.01,   0.01,     0.06),
        new("criminal",           0.02,  1.10,    [0.10, 0.10, 0.10, 0.70, 0.00],  0.005,  0.01,     0.05),
        new("accident",           0.05,  1.15,    [0.20, 0.30, 0.00, 0.45, 0.05],  0.005,  0.01,     0.15),
        new("service",            0.24,  0.80,    [0.35, 0.40, 0.10, 0.00, 0.15],  0.05,   0.005,    0.02),
    ];

    /// <summary>Reporters withdraw this share of reports before they are handled (当事人撤回).</summary>
    public const double Withdraw = 0.01;
    /// <summary>Field staff decline this share of assignments (busy elsewhere, off sick).</summary>
    public const double Decline = 0.05;
    /// <summary>Mediations on scene that fail, for disputes at village or township level: the centre escalates them.</summary>
    public const double MediationFails = 0.015;
    /// <summary>Resolved work the dispatcher's check sends back, and closed-out work the return visit does.</summary>
    public const double ReworkAtVerify = 0.03, ReworkAtClose = 0.02;
    /// <summary>Reports the caller marks as more urgent than the category's default priority.</summary>
    public const double Urgent = 0.05;
    /// <summary>Reporters who leave a name and phone, by channel (grid workers report what they found themselves).</summary>
    public static readonly double[] GivesContact = [0.25, 0.85, 0.9, 0.6, 0.7];

    public static string Wire(this Source s) => s switch
    {
        Source.GridWorker => "grid_worker",
        Source.Hotline => "hotline",
        Source.WalkIn => "walk_in",
        Source.PoliceTransfer => "police_transfer",
        _ => "online",
    };

    public static bool IsDispute(string code) => code.StartsWith("dispute", StringComparison.Ordinal);
}
