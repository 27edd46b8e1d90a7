namespace LabNet.CanaryController.Analysis;

/// <summary>
/// How many canary requests the analysis needs so that an error-rate increase of the minimum detectable effect would
/// make <see cref="RateRatioMixtureTest"/> roll back with probability about 1 - beta. Computed for the test as it is,
/// not for a fixed-horizon z-test (which would promise power the sequential test does not have): per canary request,
/// the log likelihood ratio of a grid alternative rho grows by mu = p1 ln(theta/w) + p0 (1-w)/w ln((1-theta)/(1-w))
/// on average, with variance s2; the mixture crosses 1/alpha once one component reaches ln(K/alpha), so n must satisfy
/// n mu - z(1-beta) sqrt(n s2) >= ln(K/alpha). Taking the best grid component gives a slightly conservative n.
/// <para>
/// The conditional test is strongest while the canary has a small share w (a canary error is then strong evidence),
/// so the controller asks for this sample before leaving the first, least exposed, step.
/// </para>
/// </summary>
public static class RequiredSampleSize
{
    /// <summary>Returned when the minimum detectable effect cannot be detected at the stable error rate seen so far.</summary>
    public const long Unreachable = 1_000_000_000_000;

    /// <param name="alpha">The error-rate test's share of the false-rollback budget.</param>
    /// <param name="minimumDetectableEffect">Absolute error-rate increase (0.01 = one percentage point).</param>
    /// <param name="canaryShare">The canary's share of requests while the sample is collected (0..1).</param>
    public static long CanaryRequests(double alpha, double beta, double minimumDetectableEffect, long stableErrors, long stableRequests, double canaryShare)
    {
        // Laplace estimate keeps p0 > 0 before stable has shown an error.
        var p0 = (stableErrors + 1.0) / (stableRequests + 2.0);
        var p1 = Math.Min(p0 + minimumDetectableEffect, 0.999);
        var w = Math.Clamp(canaryShare, 0.01, 0.99);
        var target = Math.Log(RateRatioMixtureTest.RateRatios.Count / alpha);
        var z = NormalQuantile(1 - beta);
        var stablePerCanary = (1 - w) / w;

        var best = double.PositiveInfinity;
        foreach (var rho in RateRatioMixtureTest.RateRatios)
        {
            var theta = w * rho / ((w * rho) + 1 - w);
            var canaryErrorGain = Math.Log(theta / w);
            var stableErrorGain = Math.Log((1 - theta) / (1 - w));
            var mu = (p1 * canaryErrorGain) + (p0 * stablePerCanary * stableErrorGain);
            if (mu <= 0)
            {
                continue;
            }

            var variance = (p1 * canaryErrorGain * canaryErrorGain) + (p0 * stablePerCanary * stableErrorGain * stableErrorGain);
            var root = ((z * Math.Sqrt(variance)) + Math.Sqrt((z * z * variance) + (4 * mu * target))) / (2 * mu);
            best = Math.Min(best, root * root);
        }

        // No grid alternative gains evidence (the effect is tiny next to the stable rate seen so far, which happens while
        // stable has had only a few requests): report a sample no step will reach rather than overflow.
        return (long)Math.Ceiling(Math.Min(best, Unreachable));
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
