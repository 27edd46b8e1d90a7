// One Default lab for the whole assembly: the canary-driving tests take turns in SimulationLabCollection, while the
// tests that only read the lab (kubectl, metrics, resource states) run beside them.
[assembly: AssemblyFixture(typeof(LabNet.AppHost.Tests.SimulationLabFixture))]
