using LabNet.Canary;
using LabNet.Benchmarks.CanaryQuality;
using LabNet.CanaryController.Mesh;
using LabNet.CanaryController.Resources;
using LabNet.CanaryController.Rollout;
using LabNet.CanaryController.Tests.Rollout;
using LabNet.CanaryController.Validation;

namespace LabNet.CanaryController.Tests.Validation;

public sealed class CanaryValidatorTests
{
    private static readonly CanarySpec Valid = Fixtures.Spec;

    [Fact]
    public void The_shipped_httpbin_canary_is_valid_against_the_seed_mesh() =>
        Assert.Empty(CanaryValidator.Validate(Valid, HttpbinMesh.Seed));

    [Fact]
    public void Unknown_subset_names_the_field_the_existing_subsets_and_the_fix()
    {
        var spec = Valid with { Target = Valid.Target with { CanarySubset = "v3" } };

        var error = Only(spec);

        Assert.Equal("spec.target.canarySubset", error.Field);
        Assert.Equal("UnknownSubset", error.Reason);
        Assert.Contains("'v3'", error.Message);
        Assert.Contains("demo/httpbin-destination", error.Message);
        Assert.Contains("subsets: v1, v2", error.Message);
    }

    [Fact]
    public void Missing_virtual_service_lists_the_existing_ones()
    {
        var spec = Valid with { Target = Valid.Target with { VirtualService = "httpbin-routes" } };

        var error = Only(spec);

        Assert.Equal(("spec.target.virtualService", "VirtualServiceNotFound"), (error.Field, error.Reason));
        Assert.Contains("demo/httpbin-routes does not exist", error.Message);
        Assert.Contains("existing: httpbin-routing", error.Message);
    }

    [Fact]
    public void Missing_destination_rule_is_reported()
    {
        var mesh = HttpbinMesh.Seed with { DestinationRules = [] };

        var error = Assert.Single(CanaryValidator.Validate(Valid, mesh));

        Assert.Equal(("spec.target.destinationRule", "DestinationRuleNotFound"), (error.Field, error.Reason));
        Assert.Contains("kubectl get destinationrules -n demo lists them", error.Message);
    }

    [Fact]
    public void Missing_virtual_service_read_by_name_alone_does_not_claim_the_namespace_has_none()
    {
        // What the controller's reader builds: only the objects the Canary names, here a DestinationRule and no
        // VirtualService, although the namespace may hold others.
        var mesh = HttpbinMesh.Seed with { VirtualServices = [] };

        var error = Assert.Single(CanaryValidator.Validate(Valid, mesh));

        Assert.Equal(("spec.target.virtualService", "VirtualServiceNotFound"), (error.Field, error.Reason));
        Assert.Equal(
            "VirtualService demo/httpbin-routing does not exist; create it or use an existing one (kubectl get virtualservices -n demo lists them).",
            error.Message);
        Assert.DoesNotContain("none", error.Message);
    }

    [Fact]
    public void Objects_in_another_namespace_do_not_count()
    {
        var spec = Valid with { Target = Valid.Target with { Namespace = "prod" } };

        var errors = CanaryValidator.Validate(spec, HttpbinMesh.Seed);

        Assert.Contains(errors, e => e.Reason == "VirtualServiceNotFound");
        Assert.Contains(errors, e => e.Reason == "DestinationRuleNotFound");
    }

    [Fact]
    public void Weights_not_increasing_name_the_offending_step()
    {
        var spec = Valid with { Traffic = new TrafficStepsSpec { Steps = [20, 80, 50, 100] } };

        var error = Only(spec);

        Assert.Equal(("spec.traffic.steps[2]", "StepsNotIncreasing"), (error.Field, error.Reason));
        Assert.Contains("50 does not increase on steps[1] = 80", error.Message);
    }

    [Fact]
    public void Step_over_100_is_rejected()
    {
        var spec = Valid with { Traffic = new TrafficStepsSpec { Steps = [20, 50, 120] } };

        var error = Only(spec);

        Assert.Equal(("spec.traffic.steps[2]", "StepOutOfRange"), (error.Field, error.Reason));
        Assert.Contains("120 is over 100", error.Message);
    }

    [Fact]
    public void Steps_and_step_size_together_are_ambiguous() =>
        Assert.Equal("AmbiguousSteps", Only(Valid with { Traffic = new TrafficStepsSpec { Steps = [20, 100], StepSize = 10 } }).Reason);

    [Fact]
    public void A_ladder_without_a_partial_weight_is_rejected() =>
        Assert.Equal("NoWeightedStep", Only(Valid with { Traffic = new TrafficStepsSpec { Steps = [100] } }).Reason);

    [Fact]
    public void Step_size_ladder_ends_at_max_weight()
    {
        var traffic = new TrafficStepsSpec { StepSize = 25, MaxWeight = 90 };

        Assert.Empty(CanaryValidator.Validate(Valid with { Traffic = traffic }, HttpbinMesh.Seed));
        Assert.Equal([25, 50, 75, 90], traffic.Ladder());
    }

    [Fact]
    public void Same_subset_for_stable_and_canary_is_rejected() =>
        Assert.Equal("SameSubset", Only(Valid with { Target = Valid.Target with { StableSubset = "v2" } }).Reason);

    [Fact]
    public void Header_probe_needs_the_header_route()
    {
        var mesh = HttpbinMesh.Seed with
        {
            VirtualServices = [HttpbinMesh.Seed.VirtualServices[0] with { HttpRoutes = [HttpbinMesh.Seed.VirtualServices[0].HttpRoutes[1]] }],
        };

        var error = Assert.Single(CanaryValidator.Validate(Valid, mesh));

        Assert.Equal(("spec.headerProbe", "HeaderRouteNotFound"), (error.Field, error.Reason));
        Assert.Contains("headerProbe.enabled to false", error.Message);
        Assert.Empty(CanaryValidator.Validate(Valid with { HeaderProbe = new HeaderProbeSpec { Enabled = false } }, mesh));
    }

    [Fact]
    public void Weighted_route_must_split_between_the_two_subsets()
    {
        var vs = HttpbinMesh.Seed.VirtualServices[0];
        var mesh = HttpbinMesh.Seed with
        {
            VirtualServices = [vs with { HttpRoutes = [vs.HttpRoutes[0], new HttpRouteInfo([], [new RouteDestinationInfo("httpbin", "v1", null)])] }],
        };

        Assert.Equal("WeightedRouteNotFound", Assert.Single(CanaryValidator.Validate(Valid, mesh)).Reason);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void Alpha_outside_its_range_is_rejected(double alpha) =>
        Assert.Equal("spec.test.alpha", Only(Valid with { Test = new SequentialTestSpec { Alpha = alpha } }).Field);

    [Fact]
    public void Fully_qualified_service_hosts_are_accepted()
    {
        var vs = HttpbinMesh.Seed.VirtualServices[0];
        const string fqdn = "httpbin.demo.svc.cluster.local";
        var mesh = new MeshSnapshot(
            [vs with { HttpRoutes = [
                new HttpRouteInfo([new HeaderMatchInfo("X-Canary", "true")], [new RouteDestinationInfo(fqdn, "v2", null)]),
                new HttpRouteInfo([], [new RouteDestinationInfo(fqdn, "v1", 80), new RouteDestinationInfo(fqdn, "v2", 20)])] }],
            [HttpbinMesh.Seed.DestinationRules[0] with { Host = fqdn }]);

        Assert.Empty(CanaryValidator.Validate(Valid, mesh));
    }

    [Fact]
    public void Invalid_canary_is_failed_with_a_condition_and_traffic_is_not_changed()
    {
        var driver = new CanaryDriver(Valid with { Target = Valid.Target with { CanarySubset = "v3" } });

        var result = driver.Tick();

        Assert.Equal(CanaryPhase.Failed, result.Status.Phase);
        Assert.Equal(DecisionOutcome.Reject, result.Decision!.Outcome);
        var valid = Assert.Single(result.Status.Conditions, c => c.Type == CanaryConditionTypes.Valid);
        Assert.Equal((ConditionStatus.False, "UnknownSubset"), (valid.Status, valid.Reason));
        Assert.Contains("spec.target.canarySubset", valid.Message);
        Assert.All(result.Actions, action => Assert.IsType<EmitEvent>(action));
        Assert.Equal(20, driver.Mesh.VirtualServices[0].HttpRoutes[1].WeightOf("v2"));
    }

    [Fact]
    public void A_fixed_canary_starts_by_itself()
    {
        var driver = new CanaryDriver(Valid with { Traffic = new TrafficStepsSpec { Steps = [50, 20] } });
        driver.Tick();
        var repeat = driver.Tick();
        Assert.Empty(repeat.Actions); // reported once, not on every tick

        driver.Spec = Valid;
        var result = driver.Tick();

        Assert.Equal(CanaryPhase.HeaderProbe, result.Status.Phase);
        Assert.Contains(result.Status.Conditions, c => c.Type == CanaryConditionTypes.Valid && c.Status == ConditionStatus.True);
        Assert.Equal(0, Assert.Single(result.Actions.OfType<SetRouteWeights>()).Weights.CanaryWeight);
    }

    [Fact]
    public void A_spec_that_loses_steps_mid_rollout_promotes_instead_of_failing()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();
        while (driver.Status.CanaryWeight < 80)
        {
            driver.Healthy();
        }

        driver.Spec = driver.Spec with { Traffic = new TrafficStepsSpec { Steps = [20, 100] } };
        driver.Healthy();
        driver.Healthy();

        Assert.Equal(CanaryPhase.Promoted, driver.Status.Phase);
    }

    private static CanaryValidationError Only(CanarySpec spec) => Assert.Single(CanaryValidator.Validate(spec, HttpbinMesh.Seed));
}
