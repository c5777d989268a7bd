using Dispatch.Server.Live;

namespace Dispatch.Tests.Live;

/// <summary>
/// Done-when 2 of the live stream: 1,000 incidents spread over the whole city, and clients at
/// every level — city, every district, townships, a village's police officer, a grid's worker —
/// each receive exactly the events of their area: no leak, no miss, none twice, in seq order.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ScopeTests(PlatformFixture platform)
{
    [Fact]
    public async Task Every_level_receives_exactly_the_incidents_of_its_area()
    {
        var places = await TestKit.PlacesAsync(platform.Db);
        var plan = Writers.Plan(places, 1000, seed: 42);
        Assert.Equal(6, plan.Select(p => p.GridCode[..6]).Distinct().Count()); // every district has some

        // One account at each level, its area chosen where the plan will report (so that "exactly" is not "nothing").
        var accounts = new List<(string User, string Region)>
        {
            ("wall", "410600"), ("city.dispatcher", "410600"),
            ("dispatcher-410602", "410602"), ("dispatcher-410603", "410603"), ("qibin.dispatcher", "410611"),
            ("xun.dispatcher", "410621"), ("dispatcher-410622", "410622"), ("supervisor-410671", "410671"),
            ($"dispatcher-{plan[0].GridCode[..9]}", plan[0].GridCode[..9]), ($"supervisor-{plan[1].GridCode[..9]}", plan[1].GridCode[..9]),
            ($"police-{plan[2].GridCode[..12]}", plan[2].GridCode[..12]), ($"gw-{plan[3].GridCode}", plan[3].GridCode),
        };
        var clients = new List<(string User, string Region, LiveClient Client)>();
        foreach (var (user, region) in accounts) clients.Add((user, region, await LiveClient.SignInAsync(platform.Address, user)));
        try
        {
            var filed = await Writers.FileAsync(platform.Http, plan, writers: 4);
            Assert.Equal(1000, filed.Count);

            foreach (var (user, region, client) in clients)
            {
                var expected = filed.Where(f => Writers.Covers(region, f.Grid)).Select(f => f.Id).ToHashSet();
                Assert.NotEmpty(expected);
                await client.WaitForAsync(r => Writers.CreatedIds(r).Count(expected.Contains) >= expected.Count, TimeSpan.FromSeconds(60), user);
            }
            await Task.Delay(500); // time for a leak or a duplicate to show

            foreach (var (user, region, client) in clients)
            {
                var expected = filed.Where(f => Writers.Covers(region, f.Grid)).Select(f => f.Id).ToHashSet();
                var mine = filed.Select(f => f.Id).ToHashSet();
                var received = client.Received;
                var created = Writers.CreatedIds(received.Where(e => e.Seq > client.StartSeq)).Where(mine.Contains).ToList();
                Assert.True(expected.SetEquals(created), $"{user}: expected {expected.Count}, received {created.Count} " +
                    $"(missing {expected.Except(created).Count()}, leaked {created.Except(expected).Count()})");
                Assert.Equal(created.Count, created.Distinct().Count());
                AssertIncreasing(received, user);
            }
        }
        finally
        {
            foreach (var (_, _, client) in clients) await client.DisposeAsync();
        }
    }

    internal static void AssertIncreasing(List<LiveEvent> received, string who)
    {
        for (var i = 1; i < received.Count; i++)
            Assert.True(received[i].Seq > received[i - 1].Seq, $"{who}: seq {received[i].Seq} after {received[i - 1].Seq} (position {i})");
    }
}
