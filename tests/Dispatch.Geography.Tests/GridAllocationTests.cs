using Dispatch.Geography;

namespace Dispatch.Geography.Tests;

public class GridAllocationTests
{
    [Fact]
    public void Largest_remainders_get_the_leftover()
    {
        // Quotas 3.5, 2.5, 1.0 for 7: floors 3, 2, 1 leave one, which goes to the first of the tied remainders.
        Assert.Equal([4, 2, 1], GridAllocation.Apportion([3.5, 2.5, 1], 7));
    }

    [Fact]
    public void Every_item_gets_at_least_one_and_the_total_is_exact()
    {
        double[] weights = [100, 1e-6, 1e-6, 50, 0.3];
        var counts = GridAllocation.Apportion(weights, 20);

        Assert.Equal(20, counts.Sum());
        Assert.All(counts, c => Assert.True(c >= 1));
        Assert.True(counts[0] > counts[3]);
    }

    [Fact]
    public void Too_few_to_go_round_is_refused() =>
        Assert.Throws<ArgumentException>(() => GridAllocation.Apportion([1, 1, 1], 2));
}
