using LabNet.FlowCollector.Query;
using LabNet.Hubble.Filters;
using LabNet.Hubble.ObserverApi;

namespace LabNet.FlowCollector.Tests.Query;

public sealed class FlowQueryTests
{
    private static readonly GetFlowsResponse[] Flows =
    [
        QueryFlows.Http(1, "httpbin-v1-abc", "nginx-web-1", 200),
        QueryFlows.Http(2, "httpbin-v2-def", "nginx-web-1", 503),
        QueryFlows.PolicyDrop(3),
        QueryFlows.Dns(4),
        QueryFlows.Http(5, "httpbin-v1-abc", "nginx-web-1", 404, "post"),
    ];

    [Theory]
    [InlineData("verdict=DROPPED", new[] { 3 })]
    [InlineData("verdict=dropped&verdict=FORWARDED", new[] { 1, 2, 3, 4, 5 })]
    [InlineData("http-status=5%2B", new[] { 2 })]
    [InlineData("http-status=404", new[] { 5 })]
    [InlineData("http-method=POST", new[] { 5 })]
    [InlineData("protocol=dns", new[] { 4 })]
    [InlineData("protocol=http&http-status=2%2B", new[] { 1 })]
    [InlineData("type=drop", new[] { 3 })]
    [InlineData("type=l7", new[] { 1, 2, 4, 5 })]
    [InlineData("namespace=kube-system", new[] { 4 })]
    [InlineData("namespace=demo&pod=httpbin-v2", new[] { 2 })]
    [InlineData("pod=demo/httpbin-v1", new[] { 1, 3, 5 })]
    [InlineData("from-pod=demo/redis", new[] { 3 })]
    [InlineData("to-pod=demo/nginx-web&http-status=5%2B", new[] { 2 })]
    [InlineData("to-namespace=kube-system", new[] { 4 })]
    [InlineData("", new[] { 1, 2, 3, 4, 5 })]
    public void Filters_select_flows_as_hubble_observe_does(string queryString, int[] expected)
    {
        var query = Parse(queryString);

        var selected = Flows.Where(f => FlowFilterMatcher.Matches(f.Flow, query.Whitelist, [])).Select(f => int.Parse(f.Flow.Uuid["flow-".Length..], System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, selected);
    }

    [Theory]
    [InlineData("verdict=MAYBE", "verdict='MAYBE'")]
    [InlineData("type=l8", "type='l8'")]
    [InlineData("protocol=quic", "protocol='quic'")]
    [InlineData("http-status=5xx", "http-status='5xx'")]
    [InlineData("last=-1", "last='-1'")]
    [InlineData("since=yesterday", "since='yesterday'")]
    [InlineData("since=5x", "since='5x'")]
    public void Bad_filters_are_rejected_with_the_accepted_values(string queryString, string expected)
    {
        var (query, error) = FlowQuery.Parse(ToDictionary(queryString), QueryFlows.Start);

        Assert.Null(query);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Last_since_and_follow_are_read()
    {
        var query = Parse("last=5&since=30s&follow=true");
        Assert.Equal(QueryFlows.Start.AddHours(-2), Parse("since=2h").Since);

        Assert.Equal(5ul, query.Last);
        Assert.Equal(QueryFlows.Start.AddSeconds(-30), query.Since);
        Assert.True(query.Follow);
        Assert.Equal(FlowQuery.DefaultLast, Parse("").Last);
    }

    private static FlowQuery Parse(string queryString)
    {
        var (query, error) = FlowQuery.Parse(ToDictionary(queryString), QueryFlows.Start);
        Assert.True(query is not null, error);
        return query;
    }

    private static Dictionary<string, string[]> ToDictionary(string queryString) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(queryString)
            .ToDictionary(q => q.Key, q => q.Value.Select(v => v ?? "").ToArray(), StringComparer.Ordinal);
}
