using MathNet.Numerics.Distributions;

namespace Dispatch.EarlyWarning.Tests;

/// <summary>Seeded daily count series for the tests.</summary>
static class Series
{
    /// <summary>Poisson counts of constant mean μ, or negative binomial of size θ (Gamma–Poisson mixture).</summary>
    public static double[] Counts(Random rng, int days, double mean, double size = double.PositiveInfinity) =>
        Counts(rng, Enumerable.Repeat(mean, days).ToArray(), size);

    /// <summary>One count per expected value.</summary>
    public static double[] Counts(Random rng, double[] expected, double size = double.PositiveInfinity) =>
        [.. expected.Select(mu => (double)Poisson.Sample(rng, double.IsPositiveInfinity(size) ? mu : Gamma.Sample(rng, size, size / mu)))];

    public static int[] ToInts(double[] counts) => [.. counts.Select(c => (int)c)];
}
