using NetTopologySuite.Geometries;

namespace Dispatch.Geography;

/// <summary>
/// The output coordinate system: lon/lat degrees (SRID 4326) on a fixed grid of 1e-7° (about 1 cm), so that
/// edges shared by neighbouring shapes consist of identical coordinates, in .NET and in PostGIS alike.
/// </summary>
static class Geo
{
    public const int Srid = 4326;
    public static readonly PrecisionModel Precision = new(1e7);
    public static readonly GeometryFactory Factory = new(Precision, Srid);
}

/// <summary>
/// A local planar frame in kilometres around the city: x east, y north, with longitude scaled by
/// cos(35.75°) so that cells are not stretched. The map is affine, so straight edges and convexity carry
/// over between the frame and lon/lat unchanged; only lengths and areas are approximate (well under 1 %
/// over the city's 60 km).
/// </summary>
readonly record struct LocalFrame(double Lon0, double Lat0)
{
    const double KmPerDegree = 111.195; // mean Earth radius × π / 180
    static readonly double CosLat = Math.Cos(35.75 * Math.PI / 180);

    public Pt ToPlane(Coordinate c) => new((c.X - Lon0) * KmPerDegree * CosLat, (c.Y - Lat0) * KmPerDegree);

    public Coordinate ToLonLat(Pt p) => new(Lon0 + p.X / (KmPerDegree * CosLat), Lat0 + p.Y / KmPerDegree);
}
