using Dispatch.EarlyWarning.Patterns;

namespace Dispatch.EarlyWarning.Tests.Patterns;

public class RepeatIncidentsTests
{
    const double Lon = 114.3, Lat = 35.75;
    static readonly double MetresPerDegreeLon = 111_195 * Math.Cos(Lat * Math.PI / 180);

    /// <summary>Incident <paramref name="id"/> on March <paramref name="day"/> 2026 at <paramref name="hour"/> China time,
    /// <paramref name="east"/> metres east of the reference point.</summary>
    internal static PatternIncident At(long id, int day, double east = 0, int hour = 10, string? address = null, string[]? parties = null, int severity = 0) =>
        new(id, new DateTimeOffset(2026, 3, day, hour, 0, 0, TimeSpan.FromHours(8)), Lon + east / MetresPerDegreeLon, Lat, address, parties, severity);

    [Fact]
    public void Three_incidents_at_one_place_within_7_days_are_a_repeat()
    {
        var series = RepeatIncidents.AtPlaces([At(1, 1), At(2, 4, east: 20), At(3, 7, east: -20)]).Single();

        Assert.Equal((RepeatIncidents.PlaceDetector, RepeatLink.Place), (series.Detector, series.Link));
        Assert.Equal([1L, 2, 3], series.IncidentIds);
        Assert.Equal((new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 7), 3), (series.From, series.To, series.MostInWindow));
        Assert.Empty(series.Keys);
    }

    [Fact]
    public void Three_incidents_spread_over_8_days_are_not()
    {
        // Days 1 and 8 at 23:00 and 00:30: 6 days 1.5 hours apart, but on 8 calendar days.
        Assert.Empty(RepeatIncidents.AtPlaces([At(1, 1, hour: 23), At(2, 4), At(3, 8, hour: 0)]));
    }

    [Fact]
    public void Days_are_counted_in_China_time_not_UTC()
    {
        // 1 March 07:00 China time is still 28 February in UTC; by UTC the three would span 8 days.
        var early = new PatternIncident(1, new DateTimeOffset(2026, 2, 28, 23, 0, 0, TimeSpan.Zero), Lon, Lat);

        Assert.Equal(new DateOnly(2026, 3, 1), early.Day);
        Assert.Single(RepeatIncidents.AtPlaces([early, At(2, 4), At(3, 7, hour: 22)]));
    }

    [Fact]
    public void The_radius_is_measured_from_the_latest_incident()
    {
        Assert.Single(RepeatIncidents.AtPlaces([At(1, 1, east: 49), At(2, 2, east: -49), At(3, 3)]));
        Assert.Empty(RepeatIncidents.AtPlaces([At(1, 1, east: 51), At(2, 2, east: 25), At(3, 3)]));
        // A line of incidents 40 m apart does not creep into one place.
        Assert.Empty(RepeatIncidents.AtPlaces([At(1, 1), At(2, 2, east: 40), At(3, 3, east: 80), At(4, 4, east: 120)]));
    }

    [Fact]
    public void The_same_address_key_is_the_same_place_whatever_the_coordinates()
    {
        var series = RepeatIncidents.AtPlaces([At(1, 1, address: "淇滨区-黄河路-12"), At(2, 2, east: 300, address: "淇滨区-黄河路-12"), At(3, 3, east: 900, address: "淇滨区-黄河路-12")]).Single();

        Assert.Equal(["淇滨区-黄河路-12"], series.Keys);
    }

    [Fact]
    public void Overlapping_hits_are_one_series_and_a_later_burst_is_another()
    {
        var incidents = new[] { At(1, 1), At(2, 2), At(3, 3), At(4, 5), At(5, 20), At(6, 21), At(7, 26) };

        var series = RepeatIncidents.AtPlaces(incidents);

        Assert.Equal([1L, 2, 3, 4], series[0].IncidentIds);
        Assert.Equal(4, series[0].MostInWindow);
        Assert.Equal([5L, 6, 7], series[1].IncidentIds);
        Assert.Equal(2, series.Count);
    }

    [Fact]
    public void The_same_two_parties_three_times_in_7_days_are_one_series_keyed_by_both()
    {
        string[] ab = ["hA", "hB"];
        var series = RepeatIncidents.BetweenParties([At(1, 1, parties: ab), At(2, 3, east: 5_000, parties: ab), At(3, 7, parties: ["hB", "hA"])]).Single();

        Assert.Equal((RepeatIncidents.PartiesDetector, RepeatLink.Parties), (series.Detector, series.Link));
        Assert.Equal(["hA", "hB"], series.Keys);
        Assert.Equal([1L, 2, 3], series.IncidentIds);
    }

    [Fact]
    public void One_party_against_three_others_is_a_repeat_of_that_party_only()
    {
        var series = RepeatIncidents.BetweenParties([At(1, 1, parties: ["hA", "hB"]), At(2, 2, parties: ["hA", "hC"]), At(3, 3, parties: ["hD", "hA"])]).Single();

        Assert.Equal(["hA"], series.Keys);
    }

    [Fact]
    public void Parties_spread_over_8_days_or_without_keys_are_no_repeat()
    {
        Assert.Empty(RepeatIncidents.BetweenParties([At(1, 1, parties: ["hA"]), At(2, 5, parties: ["hA"]), At(3, 8, parties: ["hA"])]));
        Assert.Empty(RepeatIncidents.BetweenParties([At(1, 1), At(2, 1), At(3, 1)]));
    }

    [Fact]
    public void Options_change_the_count_window_and_radius_and_are_checked()
    {
        var incidents = new[] { At(1, 1), At(2, 9, east: 80) };

        Assert.Single(RepeatIncidents.AtPlaces(incidents, new RepeatOptions(MinIncidents: 2, Days: 9, RadiusMetres: 100)));
        Assert.Empty(RepeatIncidents.AtPlaces(incidents, new RepeatOptions(MinIncidents: 2, Days: 8, RadiusMetres: 100)));
        Assert.Throws<ArgumentOutOfRangeException>(() => RepeatIncidents.AtPlaces(incidents, new RepeatOptions(MinIncidents: 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => RepeatIncidents.BetweenParties(incidents, new RepeatOptions(Days: 0)));
        Assert.Empty(RepeatIncidents.AtPlaces([]));
    }
}
