namespace Dispatch.Geography;

/// <summary>
/// Fits a power diagram to target areas, as in Voronoi treemaps and capacity-constrained (optimal
/// transport) power diagrams. For fixed sites, the areas as functions of the weights are the gradient of
/// a concave function whose Hessian is a graph Laplacian: ∂aᵢ/∂wⱼ = −ℓᵢⱼ / (2|sᵢ − sⱼ|) for neighbours
/// sharing an edge of length ℓᵢⱼ. So the weights are solved by damped Newton steps (a dense n×n solve,
/// halving the step until no cell vanishes and the error shrinks; Kitagawa, Mérigot and Thibert, 2019).
/// Between solves the sites move to their cells' centroids (Lloyd), which makes the cells compact;
/// anchored sites stay put (Lloyd would push small cells out to the edge of a large neighbour).
/// Cost: (Lloyd steps + 1) × a few Newton steps × one diagram (about O(n²)) plus the O(n³) solve.
/// </summary>
static class PowerFit
{
    const double Tolerance = 0.005; // relative area error at which a solve stops
    const int MaxNewtonSteps = 25;

    public static (Pt[] Sites, double[] Weights, PowerCell[] Cells) Fit(Region region, IReadOnlyList<double> shares, IReadOnlyList<Pt> initialSites, IReadOnlyList<bool> anchored, int lloydSteps)
    {
        var targets = shares.Select(s => s * region.Area).ToArray();
        var sites = initialSites.ToArray();
        var weights = new double[sites.Length];
        var cells = PowerDiagram.Compute(region, sites, weights);
        for (var step = 0; ; step++)
        {
            cells = SolveWeights(region, sites, weights, targets, cells);
            if (step == lloydSteps) return (sites, weights, cells);
            for (var i = 0; i < sites.Length; i++)
                if (!anchored[i] && cells[i].Area > 0 && region.Contains(cells[i].Centroid)) sites[i] = cells[i].Centroid;
            cells = PowerDiagram.Compute(region, sites, weights);
            if (cells.Any(c => c.Area <= 0))
            {
                // Moving the sites emptied a cell; plain Voronoi cells are never empty (each holds its site).
                Array.Clear(weights);
                cells = PowerDiagram.Compute(region, sites, weights);
            }
        }
    }

    /// <summary>Damped Newton on the weights (updated in place); returns the final cells.</summary>
    static PowerCell[] SolveWeights(Region region, Pt[] sites, double[] weights, double[] targets, PowerCell[] cells)
    {
        var error = Residual(cells, targets, out var worst);
        for (var step = 0; step < MaxNewtonSteps && worst > Tolerance; step++)
        {
            var delta = Solve(Hessian(region, sites, cells), cells.Select((c, i) => targets[i] - c.Area).ToArray());
            var minArea = 0.5 * Math.Min(cells.Min(c => c.Area), targets.Min());
            var accepted = false;
            for (var (t, halvings) = (1.0, 0); halvings < 12 && !accepted; t /= 2, halvings++)
            {
                var trial = weights.Select((w, i) => w + t * delta[i]).ToArray();
                var trialCells = PowerDiagram.Compute(region, sites, trial);
                var trialError = Residual(trialCells, targets, out var trialWorst);
                if (trialCells.Min(c => c.Area) < minArea || trialError >= error) continue;
                (cells, error, worst, accepted) = (trialCells, trialError, trialWorst, true);
                trial.CopyTo(weights, 0);
            }
            if (!accepted) break;
        }
        return cells;
    }

    /// <summary>Euclidean norm of the area errors; <paramref name="worst"/> is the largest relative error.</summary>
    static double Residual(PowerCell[] cells, double[] targets, out double worst)
    {
        double sum = 0;
        worst = 0;
        for (var i = 0; i < cells.Length; i++)
        {
            var e = cells[i].Area - targets[i];
            sum += e * e;
            worst = Math.Max(worst, Math.Abs(e) / targets[i]);
        }
        return Math.Sqrt(sum);
    }

    static double[,] Hessian(Region region, Pt[] sites, PowerCell[] cells)
    {
        var n = sites.Length;
        var h = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            var ring = cells[i].Ring;
            for (var k = 0; k < ring.Count; k++)
            {
                var j = cells[i].Neighbours[k];
                if (j < 0) continue;
                var coupling = region.LengthInside(ring[k], ring[(k + 1) % ring.Count]) / (2 * (sites[j] - sites[i]).Length);
                h[i, j] -= coupling;
                h[i, i] += coupling;
            }
        }
        // The Laplacian is singular (adding a constant to all weights changes nothing); a small ridge fixes that.
        var ridge = 1e-3 * Enumerable.Range(0, n).Average(i => h[i, i]) + 1e-12;
        for (var i = 0; i < n; i++) h[i, i] += ridge;
        return h;
    }

    /// <summary>Gaussian elimination with partial pivoting, O(n³).</summary>
    static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < n; r++)
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            if (pivot != col)
            {
                for (var c = 0; c < n; c++) (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
                (b[col], b[pivot]) = (b[pivot], b[col]);
            }
            for (var r = col + 1; r < n; r++)
            {
                var f = a[r, col] / a[col, col];
                if (f == 0) continue;
                for (var c = col; c < n; c++) a[r, c] -= f * a[col, c];
                b[r] -= f * b[col];
            }
        }
        var x = new double[n];
        for (var r = n - 1; r >= 0; r--)
        {
            var s = b[r];
            for (var c = r + 1; c < n; c++) s -= a[r, c] * x[c];
            x[r] = s / a[r, r];
        }
        return x;
    }
}
