using System.Xml.Linq;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Module;

public class FormatFileTests
{
    [Fact]
    public void Every_view_names_a_real_type_and_real_properties_and_every_output_type_has_a_view()
    {
        var doc = XDocument.Load(Path.Combine(CmdletMetadata.RepositoryRoot, "src", "NemoVideo.PowerShell", "NemoVideo.Format.ps1xml"));
        var core = CmdletMetadata.Load(CmdletMetadata.Assembly.GetReferencedAssemblies().Single(a => a.Name == "NemoVideo.Core"));
        var viewed = new HashSet<string>();
        foreach (var view in doc.Descendants("View"))
        {
            var typeName = view.Element("ViewSelectedBy")!.Element("TypeName")!.Value;
            // A job's result is the file's FileInfo with what was measured added, under a type name of its own:
            // FormatViewTests renders those views in a runspace, on real results.
            if (typeName is "NemoVideo.Mp3File" or "NemoVideo.CompressedVideo") continue;
            var type = core.GetType(typeName);
            Assert.True(type != null, $"{typeName} does not exist");
            viewed.Add(typeName);
            foreach (var property in view.Descendants("PropertyName").Select(p => p.Value))
                Assert.True(type!.GetProperty(property) != null, $"{typeName}.{property} does not exist");
        }
        var outputs = CmdletMetadata.Cmdlets.SelectMany(c => c.Attributes("System.Management.Automation.OutputTypeAttribute"))
            .SelectMany(a => a.ConstructorArguments[0].Value is IEnumerable<System.Reflection.CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : new[] { a.ConstructorArguments[0].Value })
            .OfType<Type>().Select(t => t.FullName!).Where(n => n.StartsWith("NemoVideo.")).Distinct();
        Assert.All(outputs, o => Assert.Contains(o, viewed));
    }
}
