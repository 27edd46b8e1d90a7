using LabNet.CanaryController.Analysis;

namespace LabNet.CanaryController.Tests.Analysis;

public sealed class SequentialTestTests
{
    [Fact]
    public void No_events_or_one_sided_traffic_carry_no_evidence()
    {
        var state = RateRatioMixtureTest.Update(SequentialTestState.Empty, 0, 0, 100, 400);
        state = RateRatioMixtureTest.Update(state, 3, 0, 100, 0);

        Assert.Equal(1.0, state.EValue());
    }

    [Fact]
    public void Errors_in_proportion_to_traffic_lower_the_evidence_against_the_canary()
    {
        var state = SequentialTestState.Empty;
        for (var i = 0; i < 50; i++)
        {
            state = RateRatioMixtureTest.Update(state, canaryEvents: 1, stableEvents: 4, canaryRequests: 1000, stableRequests: 4000);
        }

        Assert.True(state.EValue() < 0.05, $"e-value {state.EValue()}");
    }

    [Fact]
    public void Errors_concentrated_on_the_canary_raise_the_evidence_past_1_over_alpha()
    {
        var state = SequentialTestState.Empty;
        for (var i = 0; i < 3; i++)
        {
            state = RateRatioMixtureTest.Update(state, canaryEvents: 3, stableEvents: 0, canaryRequests: 50, stableRequests: 200);
        }

        Assert.True(state.EValue() > 200, $"e-value {state.EValue()}");
    }

    [Fact]
    public void The_test_is_valid_under_continuous_peeking()
    {
        // 2000 A/A rollouts of 200 looks each with time-varying weights: the share crossing 1/alpha must stay below alpha.
        const double alpha = 0.05;
        var random = new Random(7);
        var crossed = 0;
        for (var run = 0; run < 2000; run++)
        {
            var state = SequentialTestState.Empty;
            for (var look = 0; look < 200; look++)
            {
                var w = look < 50 ? 0.2 : look < 120 ? 0.5 : 0.8;
                long canary = 0, stable = 0;
                for (var e = 0; e < 3; e++)
                {
                    if (random.NextDouble() < w)
                    {
                        canary++;
                    }
                    else
                    {
                        stable++;
                    }
                }

                state = RateRatioMixtureTest.Update(state, canary, stable, (long)(w * 1000), (long)((1 - w) * 1000));
                if (state.EValue() >= 1 / alpha)
                {
                    crossed++;
                    break;
                }
            }
        }

        // Ville: P(cross) <= alpha = 100 of 2000; a 5-sigma margin above the bound would be ~150, we ask for the bound itself.
        Assert.True(crossed <= 100, $"{crossed} of 2000 A/A runs crossed");
    }

    [Fact]
    public void Success_rate_guard_ignores_a_rate_well_under_the_limit_and_fires_on_one_well_over_it()
    {
        var good = SequentialTestState.Empty;
        var bad = SequentialTestState.Empty;
        for (var i = 0; i < 20; i++)
        {
            good = ExcessRateMixtureTest.Update(good, errors: 1, requests: 1000, limit: 0.01);
            bad = ExcessRateMixtureTest.Update(bad, errors: 5, requests: 100, limit: 0.01);
        }

        Assert.True(good.EValue() < 1e-3, $"good {good.EValue()}");
        Assert.True(bad.EValue() > 1e6, $"bad {bad.EValue()}");
    }

    [Fact]
    public void Required_sample_shrinks_with_a_bigger_effect_and_grows_with_a_bigger_canary_share()
    {
        long Required(double effect, double share) => RequiredSampleSize.CanaryRequests(0.005, 0.2, effect, 1, 1000, share);

        Assert.True(Required(0.05, 0.2) < Required(0.01, 0.2));
        Assert.True(Required(0.01, 0.2) < Required(0.01, 0.5));
        Assert.InRange(Required(0.01, 0.2), 800, 2000);
    }

    [Fact]
    public void Normal_quantile_is_accurate() =>
        Assert.Equal(2.326347874, RequiredSampleSize.NormalQuantile(0.99), 6);

    [Theory]
    [InlineData(20, 200, 800, true)]
    [InlineData(20, 230, 770, true)]
    [InlineData(20, 500, 500, false)]
    [InlineData(50, 0, 1000, false)]
    public void Split_check_allows_noise_but_not_a_different_split(int weight, long canary, long stable, bool agrees) =>
        Assert.Equal(agrees, TrafficSplitCheck.Evaluate(weight, canary, stable, 5).Agrees);
}
