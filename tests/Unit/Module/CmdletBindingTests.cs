using System.Reflection;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Module;

/// <summary>Parameter sets, pipeline binding, aliases and validation of each cmdlet, read by reflection.</summary>
public class CmdletBindingTests
{
    private static CmdletInfo Cmdlet(string name) => CmdletMetadata.Cmdlets.Single(c => c.Name == name);

    private static (PropertyInfo Property, IReadOnlyList<CustomAttributeData> Parameters) Param(string cmdlet, string name) =>
        Cmdlet(cmdlet).Parameters.Single(p => p.Property.Name == name);

    private static object? Named(CustomAttributeData a, string name) => a.NamedArguments.FirstOrDefault(n => n.MemberName == name).TypedValue.Value;

    private static bool Has(PropertyInfo p, string attribute) => p.GetCustomAttributesData().Any(a => a.AttributeType.Name == attribute);

    private static IReadOnlyList<string> Aliases(PropertyInfo p) => p.GetCustomAttributesData()
        .Where(a => a.AttributeType.Name == "AliasAttribute")
        .SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (string)v.Value!)).ToList();

    private static string OutputType(CmdletInfo c)
    {
        var arg = c.Attributes("System.Management.Automation.OutputTypeAttribute").Single().ConstructorArguments[0];
        var first = arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.First().Value : arg.Value;
        return ((Type)first!).FullName!;
    }

    [Theory]
    [InlineData("ConvertTo-NemoMp3")]
    [InlineData("Compress-NemoVideo")]
    public void The_job_cmdlets_take_files_from_the_pipeline_by_path_and_by_FileInfo(string name)
    {
        var c = Cmdlet(name);
        Assert.True(c.Named("SupportsShouldProcess"));
        Assert.Equal("Path", Named(c.Attribute, "DefaultParameterSetName"));
        Assert.Equal("System.IO.FileInfo", OutputType(c));

        var (path, pathAttrs) = Param(name, "Path");
        var p = Assert.Single(pathAttrs, a => (string?)Named(a, "ParameterSetName") == "Path"); // Compress-NemoVideo also has its -TargetSize sets
        Assert.Equal((true, 0, true, "Path"), (Named(p, "Mandatory"), Named(p, "Position"), Named(p, "ValueFromPipeline"), Named(p, "ParameterSetName")));
        Assert.True(Has(path, "SupportsWildcardsAttribute"));
        Assert.Equal(typeof(string[]).FullName, path.PropertyType.FullName);

        var (literal, literalAttrs) = Param(name, "LiteralPath");
        var l = Assert.Single(literalAttrs, a => (string?)Named(a, "ParameterSetName") == "LiteralPath");
        Assert.Equal((true, true, "LiteralPath"), (Named(l, "Mandatory"), Named(l, "ValueFromPipelineByPropertyName"), Named(l, "ParameterSetName")));
        Assert.Equal(new[] { "PSPath", "FullName" }, Aliases(literal));
        Assert.False(Has(literal, "SupportsWildcardsAttribute"));

        foreach (var shared in new[] { "Destination", "Force", "SkipExisting", "ThrottleLimit", "Timeout", "Session", "Engine" })
            Assert.Null(Named(Assert.Single(Param(name, shared).Parameters), "ParameterSetName"));
        var throttle = Param(name, "ThrottleLimit").Property.GetCustomAttributesData().Single(a => a.AttributeType.Name == "ValidateRangeAttribute");
        Assert.Equal(new object[] { 1, 32 }, throttle.ConstructorArguments.Select(a => a.Value));
    }

    [Fact]
    public void The_MP3_bitrate_is_checked_against_the_MP3_rates_while_binding_and_tab_completed()
    {
        var bitrate = Param("ConvertTo-NemoMp3", "Bitrate").Property;
        Assert.True(Has(bitrate, "Mp3BitrateTransformationAttribute")); // 320k, 320kbps; 191 refused with the list (the in-process tests run it)
        Assert.True(Has(bitrate, "ArgumentCompleterAttribute"));
        Assert.Equal("Int32", bitrate.PropertyType.Name);
    }

    [Fact]
    public void The_video_bitrate_is_mandatory_and_read_from_text_while_binding()
    {
        var (prop, attrs) = Param("Compress-NemoVideo", "VideoBitrate");
        Assert.All(attrs, a => Assert.Equal(true, Named(a, "Mandatory")));
        Assert.Equal(new[] { "LiteralPath", "Path" }, attrs.Select(a => (string)Named(a, "ParameterSetName")!).Order());
        Assert.True(Has(prop, "BitrateTransformationAttribute"));
        // -TargetSize is its own pair of sets, beside -VideoBitrate's.
        var (size, sizeAttrs) = Param("Compress-NemoVideo", "TargetSize");
        Assert.All(sizeAttrs, a => Assert.Equal(true, Named(a, "Mandatory")));
        Assert.Equal(new[] { "TargetSizeLiteralPath", "TargetSizePath" }, sizeAttrs.Select(a => (string)Named(a, "ParameterSetName")!).Order());
        Assert.True(Has(size, "FileSizeTransformationAttribute"));
        // -Resolution is checked against its list while binding (not a ValidateSet, whose completion PowerShell sorts as
        // text: 1080p before 240p); its completion, in numeric order, is tested in HelpAndCompletionTests.
        Assert.True(Has(Param("Compress-NemoVideo", "Resolution").Property, "ValidateResolutionAttribute"));
    }

    [Theory]
    [InlineData("Send-NemoVideo")]
    [InlineData("Send-NemoMessage")]
    [InlineData("Get-NemoState")]
    [InlineData("Invoke-NemoExport")]
    public void The_building_blocks_take_a_session_from_the_pipeline_and_a_session_id_by_property_name(string name)
    {
        var session = Assert.Single(Param(name, "Session").Parameters);
        Assert.Equal(true, Named(session, "ValueFromPipeline"));
        Assert.Equal("NemoVideo.NemoConnection", Param(name, "Session").Property.PropertyType.FullName);
        Assert.Equal(true, Named(Assert.Single(Param(name, "SessionId").Parameters), "ValueFromPipelineByPropertyName"));
    }

    [Fact]
    public void Send_NemoVideo_has_path_literal_path_and_uri_sets()
    {
        var sets = CmdletMetadata.Cmdlets.Single(c => c.Name == "Send-NemoVideo").Parameters
            .SelectMany(p => p.Parameters.Select(a => Named(a, "ParameterSetName") as string)).Where(s => s != null).Distinct().OrderBy(s => s);
        Assert.Equal(new[] { "LiteralPath", "Path", "Uri" }, sets);
        Assert.Equal("System.Uri[]", Param("Send-NemoVideo", "Uri").Property.PropertyType.FullName);
    }

    [Theory]
    [InlineData("Get-NemoRender")]
    [InlineData("Stop-NemoRender")]
    public void Render_cmdlets_take_ids_from_the_pipeline_and_from_RenderId(string name)
    {
        var (id, attrs) = Param(name, "Id");
        var a = Assert.Single(attrs);
        Assert.Equal((true, true, true), (Named(a, "Mandatory"), Named(a, "ValueFromPipeline"), Named(a, "ValueFromPipelineByPropertyName")));
        Assert.Contains("RenderId", Aliases(id));
    }

    [Fact]
    public void Every_cmdlet_binds_unambiguously()
    {
        Assert.All(CmdletMetadata.Cmdlets, c =>
        {
            var names = c.Parameters.SelectMany(p => new[] { p.Property.Name }.Concat(Aliases(p.Property))).ToList();
            Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            var positions = c.Parameters.SelectMany(p => p.Parameters.Select(a => (Set: Named(a, "ParameterSetName") as string ?? "__All", Pos: Named(a, "Position"))))
                .Where(x => x.Pos is int).ToList();
            Assert.Equal(positions.Count, positions.Distinct().Count());
        });
    }

    [Fact]
    public void No_cmdlet_ever_prompts_for_a_mandatory_secret()
    {
        // Scheduled tasks have no console: the token is never mandatory.
        var token = Param("Connect-Nemo", "Token").Parameters.Single();
        Assert.NotEqual(true, Named(token, "Mandatory"));
    }
}
