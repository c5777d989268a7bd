namespace Dispatch.Server.Staff;

/// <summary>Settings for field staff (section <c>Staff</c>).</summary>
public sealed class StaffOptions
{
    /// <summary>How long a track is kept before the nightly purge removes it.</summary>
    public int TrackRetentionDays { get; set; } = 30;
    /// <summary>At most one <c>staff.location</c> per person per this many seconds.</summary>
    public double LocationPushSeconds { get; set; } = 15;
}
