namespace LabNet.Simulator.Kubernetes;

/// <summary>Ages as the apiserver's Table printer writes them (<c>45s</c>, <c>5m30s</c>, <c>3h</c>, <c>2d4h</c>), apimachinery's HumanDuration.</summary>
public static class HumanDuration
{
    public static string Format(TimeSpan d)
    {
        var seconds = (long)Math.Floor(d.TotalSeconds);
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return $"{seconds}s";
        }

        var minutes = (long)d.TotalMinutes;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }

        if (minutes < 60 * 3)
        {
            return $"{minutes}m";
        }

        var hours = (long)d.TotalHours;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }

        if (hours < 48)
        {
            return $"{hours}h";
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }

        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }

        if (hours < 24 * 365 * 8)
        {
            var days = hours / 24 % 365;
            return days == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{days}d";
        }

        return $"{hours / 24 / 365}y";
    }
}
