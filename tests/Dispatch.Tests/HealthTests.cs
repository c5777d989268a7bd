using System.Net;

namespace Dispatch.Tests;

[Collection(PlatformCollection.Name)]
public sealed class HealthTests(PlatformFixture platform)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task The_platform_is_live_and_ready(string path)
    {
        Assert.Equal(HttpStatusCode.OK, (await platform.Http.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task An_unknown_api_path_is_a_problem_not_the_web_app()
    {
        var response = await platform.Http.GetAsync("/api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_geography_reads()
    {
        var json = await platform.Http.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/locate", json);
        Assert.Contains("/api/regions/{code}", json);
    }
}
