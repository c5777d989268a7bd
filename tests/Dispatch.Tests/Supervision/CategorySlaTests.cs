using System.Net;
using System.Net.Http.Json;
using Dispatch.Server.Categories;
using Dispatch.Server.Incidents;

namespace Dispatch.Tests.Supervision;

/// <summary>An admin sets a category's clocks per priority and its starting level over the API; the next case at that priority runs on them.</summary>
[Collection(PlatformCollection.Name)]
public sealed class CategorySlaTests(PlatformFixture platform)
{
    readonly TestKit _kit = new(platform);

    // 婚姻家庭纠纷: natural time (the deadline is plain arithmetic), default priority 3, and no other test files it.
    const string Code = "dispute.family";

    async Task<CategoryView> CategoryAsync() =>
        (await platform.Http.GetFromJsonAsync<List<CategoryView>>("/api/categories"))!.Single(c => c.Code == Code);

    [Fact]
    public async Task Clocks_per_priority_are_replaced_as_a_set_and_a_case_at_that_priority_runs_on_them()
    {
        var before = await CategoryAsync();
        Assert.Equal(3, before.Priority);
        try
        {
            var set = await platform.Http.PutAsJsonAsync($"/api/categories/{Code}", new
            {
                prioritySlas = new[] { new PrioritySla(1, 7, 20, 120), new PrioritySla(2, 15, 60, 600) }, startLevel = "township",
            });
            Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
            var after = await CategoryAsync();
            Assert.Equal([new PrioritySla(1, 7, 20, 120), new PrioritySla(2, 15, 60, 600)], after.PrioritySlas);
            Assert.Equal("township", after.StartLevel);

            var dispatcher = await _kit.ClientAsync(TestKit.Dispatcher);
            var place = await _kit.FreshPlaceAsync();
            var urgent = await TestKit.ReadAsync(await dispatcher.PostAsJsonAsync("/api/incidents", new
            {
                categoryCode = Code, priority = 1, description = "夫妻争执升级，有动手迹象。", lon = place.Lon, lat = place.Lat,
            }), HttpStatusCode.Created);
            Assert.InRange((urgent.DueAt!.Value - urgent.CreatedAt).TotalMinutes, 6.9, 7.1);
            Assert.Equal(("township", place.GridCode[..9]), (urgent.Level, urgent.CentreCode));
        }
        finally
        {
            var restore = await platform.Http.PutAsJsonAsync($"/api/categories/{Code}",
                new { prioritySlas = before.PrioritySlas, startLevel = before.StartLevel });
            Assert.Equal(HttpStatusCode.NoContent, restore.StatusCode);
        }
        Assert.Equal(before.PrioritySlas, (await CategoryAsync()).PrioritySlas);
    }

    [Theory]
    [InlineData("""{"prioritySlas":[{"priority":3,"acceptMinutes":5,"arriveMinutes":10,"resolveMinutes":60}]}""")] // the default priority: that is `sla`
    [InlineData("""{"prioritySlas":[{"priority":1,"acceptMinutes":5,"arriveMinutes":10,"resolveMinutes":60},{"priority":1,"acceptMinutes":6,"arriveMinutes":10,"resolveMinutes":60}]}""")]
    [InlineData("""{"prioritySlas":[{"priority":9,"acceptMinutes":5,"arriveMinutes":10,"resolveMinutes":60}]}""")]
    [InlineData("""{"prioritySlas":[{"priority":1,"acceptMinutes":2147483647,"arriveMinutes":10,"resolveMinutes":60}]}""")]
    [InlineData("""{"prioritySlas":[null]}""")]
    [InlineData("""{"startLevel":"province"}""")]
    public async Task A_bad_band_or_level_is_a_400_naming_it_and_changes_nothing(string body)
    {
        var before = await CategoryAsync();
        var response = await platform.Http.PutAsync($"/api/categories/{Code}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var errors = (await TestKit.ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty(body.Contains("startLevel") ? "startLevel" : "prioritySlas", out _), errors.ToString());
        var after = await CategoryAsync();
        Assert.Equal(before.PrioritySlas, after.PrioritySlas);
        Assert.Equal(before.StartLevel, after.StartLevel);
    }

    [Fact]
    public async Task Only_an_admin_edits_a_category()
    {
        var supervisor = await _kit.ClientAsync("supervisor");
        var response = await supervisor.PutAsJsonAsync($"/api/categories/{Code}", new { startLevel = "city" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("village", (await CategoryAsync()).StartLevel);
    }
}
