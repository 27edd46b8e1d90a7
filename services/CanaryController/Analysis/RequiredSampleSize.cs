namespace LabNet.CanaryController.Analysis;

/// <summary>
/// How many canary requests the rollout needs before promotion so that an error-rate increase of the minimum
/// detectable effect would be caught with power 1 - beta: the fixed-horizon normal approximation of reference §4,
/// n = (z(1-alpha) + z(1-beta))^2 (p0(1-p0) + p1(1-p1)) / delta^2. An order of magnitude, not an exact property of the
/// sequential test (which stops sooner on large effects); what it buys is that the ramp never promotes on a sample
/// too small to have seen the effect the user asked about, and an honest "expected time to a decision".
/// </summary>
public static class RequiredSampleSize
{
    public static long CanaryRequests(double alpha, double beta, double minimumDetectableEffect, long stableErrors, long stableRequests)
    {
        // Laplace estimate keeps p0 > 0 before stable has shown an error.
        var p0 = (stableErrors + 1.0) / (stableRequests + 2.0);
        var p1 = Math.Min(p0 + minimumDetectableEffect, 0.999);
        var delta = p1 - p0;
        var z = NormalQuantile(1 - alpha) + NormalQuantile(1 - beta);
        var n = z * z * ((p0 * (1 - p0)) + (p1 * (1 - p1))) / (delta * delta);
        return (long)Math.Ceiling(n);
    }

    /// <summary>Inverse standard normal CDF (Acklam's rational approximation, relative error below 1.2e-9).</summary>
    public static double NormalQuantile(double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(p, 1);

        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double low = 0.02425;

        if (p < low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            return (((((((c[0] * q) + c[1]) * q) + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((((d[0] * q) + d[1]) * q) + d[2]) * q + d[3]) * q + 1);
        }

        if (p > 1 - low)
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -(((((((c[0] * q) + c[1]) * q) + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((((d[0] * q) + d[1]) * q) + d[2]) * q + d[3]) * q + 1);
        }

        var r = p - 0.5;
        var s = r * r;
        return (((((((a[0] * s) + a[1]) * s) + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((((b[0] * s) + b[1]) * s) + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    }
}
