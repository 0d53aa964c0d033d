using System.Management.Automation;
using System.Reflection;

namespace NemoVideo.PowerShell.Tests;

/// <summary>
/// ErrorMapping (src/NemoVideo.PowerShell/ErrorMapping.cs), the one place a core failure becomes an error record: the id,
/// category and advice for each kind of exception. The core's exceptions are made through reflection from the module's
/// own copy of the core, as the module is imported, not referenced. The same ids seen through whole pipelines are in
/// UserExperienceTests and JobCmdletTests.
/// </summary>
public class ErrorMappingTests
{
    private static readonly Type Mapping = ModuleAssembly.Type("NemoVideo.PowerShell.ErrorMapping");

    private static (string Id, ErrorCategory Category, string? Advice) Classify(Exception ex)
    {
        var result = ModuleAssembly.Call(Mapping, "Classify", ex)!;
        var t = result.GetType();
        return ((string)t.GetField("Item1")!.GetValue(result)!, (ErrorCategory)t.GetField("Item2")!.GetValue(result)!, (string?)t.GetField("Item3")!.GetValue(result));
    }

    private static ErrorRecord ToRecord(Exception ex, object? target) => (ErrorRecord)ModuleAssembly.Call(Mapping, "ToRecord", ex, target)!;

    private static object Enum(string type, string value) => System.Enum.Parse(ModuleAssembly.CoreType(type), value);

    private static Exception Api(string kind, string message = "the server's words", string? advice = null) =>
        (Exception)ModuleAssembly.New(ModuleAssembly.CoreType("NemoApiException"), Enum("NemoErrorKind", kind), message, null, null, advice, null, null);

    private static Exception Input(string problem, string? detail = null, int? trackCount = null)
    {
        var ex = (Exception)ModuleAssembly.New(ModuleAssembly.CoreType("MediaInputException"), Enum("InputProblem", problem), "/x/clip.mkv", "a problem with 'clip.mkv'", detail, null);
        if (trackCount != null) ex.GetType().GetProperty("TrackCount")!.SetValue(ex, trackCount);
        return ex;
    }

    [Theory]
    [InlineData("TokenInvalid", "Nemo.TokenInvalid", ErrorCategory.AuthenticationError, "Connect-Nemo")]
    [InlineData("SessionNotFound", "Nemo.SessionNotFound", ErrorCategory.ObjectNotFound, "Connect-Nemo")]
    [InlineData("InsufficientCredits", "Nemo.InsufficientCredits", ErrorCategory.QuotaExceeded, "-Engine Local")]
    [InlineData("UnsupportedFile", "Nemo.NotMedia", ErrorCategory.InvalidData, "plays")]
    [InlineData("FileTooLarge", "Nemo.FileTooLarge", ErrorCategory.LimitsExceeded, "500 MB")]
    [InlineData("PlanRequired", "Nemo.ExportNotAllowed", ErrorCategory.PermissionDenied, "render scope")]
    [InlineData("TokenRateLimited", "Nemo.TokenRateLimited", ErrorCategory.LimitsExceeded, "NEMO_TOKEN")]
    [InlineData("Unreachable", "Nemo.Unreachable", ErrorCategory.ConnectionError, "NEMO_API_URL")]
    [InlineData("Protocol", "Nemo.Protocol", ErrorCategory.ProtocolError, "-BaseUri")]
    [InlineData("WrongOutput", "Nemo.WrongOutput", ErrorCategory.InvalidResult, "install ffmpeg")]
    [InlineData("Timeout", "Nemo.Timeout", ErrorCategory.OperationTimeout, "-Timeout")]
    [InlineData("InsecureHttp", "Nemo.InsecureHttp", ErrorCategory.SecurityError, "-AllowInsecureHttp")]
    [InlineData("Outage", "Nemo.Outage", ErrorCategory.ConnectionError, "Get-NemoPendingWork")]
    public void Each_service_error_kind_has_its_id_category_and_advice_in_terms_of_the_modules_cmdlets(string kind, string id, ErrorCategory category, string advice)
    {
        var (gotId, gotCategory, gotAdvice) = Classify(Api(kind));
        Assert.Equal((id, category), (gotId, gotCategory));
        Assert.Contains(advice, gotAdvice);
    }

    [Theory]
    [InlineData("MissingClientId", "Nemo.MissingClientId", ErrorCategory.AuthenticationError)]
    [InlineData("RateLimited", "Nemo.RateLimited", ErrorCategory.LimitsExceeded)]
    [InlineData("ServerError", "Nemo.ServiceError", ErrorCategory.ConnectionError)]
    [InlineData("RenderFailed", "Nemo.RenderFailed", ErrorCategory.InvalidResult)]
    [InlineData("AgentError", "Nemo.AgentError", ErrorCategory.InvalidResult)]
    [InlineData("DuplicateRender", "Nemo.DuplicateRender", ErrorCategory.ResourceExists)]
    [InlineData("InvalidRequest", "Nemo.InvalidRequest", ErrorCategory.InvalidArgument)]
    [InlineData("ConfigNotWritable", "Nemo.ConfigNotWritable", ErrorCategory.PermissionDenied)]
    [InlineData("Unknown", "Nemo.ServiceError", ErrorCategory.NotSpecified)]
    public void Kinds_whose_advice_is_the_cores_keep_it(string kind, string id, ErrorCategory category)
    {
        var ex = Api(kind);
        var (gotId, gotCategory, gotAdvice) = Classify(ex);
        Assert.Equal((id, category), (gotId, gotCategory));
        Assert.Equal(ex.GetType().GetProperty("Advice")!.GetValue(ex), gotAdvice);
    }

    [Fact]
    public void Advice_written_for_the_very_failure_beats_the_kinds_except_where_the_kinds_names_a_parameter()
    {
        Assert.Equal("Register at https://nemovideo.com/?bind=anon_1.", Classify(Api("InsufficientCredits", advice: "Register at https://nemovideo.com/?bind=anon_1.")).Advice);
        Assert.Contains("-AllowInsecureHttp", Classify(Api("InsecureHttp", advice: "Use https.")).Advice);
    }

    [Theory]
    [InlineData("Missing", "Nemo.PathNotFound", ErrorCategory.ObjectNotFound, "-LiteralPath")]
    [InlineData("Folder", "Nemo.NotAFile", ErrorCategory.InvalidArgument, "Get-ChildItem <folder> -File")]
    [InlineData("Empty", "Nemo.EmptyFile", ErrorCategory.InvalidData, "finished writing")]
    [InlineData("NotMedia", "Nemo.NotMedia", ErrorCategory.InvalidData, "plays")]
    [InlineData("TooLarge", "Nemo.FileTooLarge", ErrorCategory.LimitsExceeded, "-Engine Local")]
    public void Each_input_problem_has_its_id_category_and_advice(string problem, string id, ErrorCategory category, string advice)
    {
        var (gotId, gotCategory, gotAdvice) = Classify(Input(problem));
        Assert.Equal((id, category), (gotId, gotCategory));
        Assert.Contains(advice, gotAdvice);
    }

    [Fact]
    public void A_bad_input_is_the_same_error_as_the_service_refusing_its_content()
    {
        Assert.Equal(Classify(Input("NotMedia")), Classify(Api("UnsupportedFile")));
    }

    [Fact]
    public void An_unsupported_type_lists_what_is_accepted_and_a_missing_track_what_there_is()
    {
        Assert.Equal(("Nemo.UnsupportedType", ErrorCategory.InvalidType, "Accepted here: mp4 mkv."), Classify(Input("UnsupportedType", "mp4 mkv")));
        Assert.Equal("Use ConvertTo-NemoMp3 for audio-only files.", Classify(Input("NoSuchTrack", "video")).Advice);
        Assert.Equal("There is nothing to extract; check that the right file was given.", Classify(Input("NoSuchTrack", trackCount: 0)).Advice);
        Assert.Equal("Its tracks: 1 eng, 2 fra.", Classify(Input("NoSuchTrack", "1 eng, 2 fra", trackCount: 2)).Advice);
        Assert.Equal(("Nemo.NoSuchTrack", ErrorCategory.ObjectNotFound, "Use -AudioTrack 1 to 3."), Classify(Input("NoSuchTrack", trackCount: 3)));
    }

    [Theory]
    [InlineData("ToolMissing", "Nemo.FfmpegMissing", ErrorCategory.NotInstalled)]
    [InlineData("OutputNotWritable", "Nemo.OutputNotWritable", ErrorCategory.PermissionDenied)]
    [InlineData("ConversionFailed", "Nemo.ConversionFailed", ErrorCategory.InvalidResult)]
    public void Local_engine_failures_have_their_ids_and_categories(string kind, string id, ErrorCategory category)
    {
        var ex = (Exception)ModuleAssembly.New(ModuleAssembly.CoreType("LocalEngineException"), Enum("LocalErrorKind", kind), "ffmpeg said no", "the engine's advice", null, null);
        var (gotId, gotCategory, advice) = Classify(ex);
        Assert.Equal((id, category), (gotId, gotCategory));
        Assert.Equal(kind == "OutputNotWritable" ? "Choose a -Destination you can write to." : "the engine's advice", advice);
    }

    [Fact]
    public void A_target_size_too_small_names_the_smallest_that_works_and_at_which_resolution()
    {
        var fileSize = ModuleAssembly.CoreType("FileSize");
        Exception Size(string problem) => (Exception)ModuleAssembly.New(ModuleAssembly.CoreType("TargetSizeException"),
            Enum("SizeProblem", problem), "/x/clip.mp4", "too small", ModuleAssembly.New(fileSize, 1_000_000L));
        var tooSmall = Size("TooSmall");
        tooSmall.GetType().GetProperty("Smallest")!.SetValue(tooSmall, ModuleAssembly.New(fileSize, 3_000_000L));
        tooSmall.GetType().GetProperty("SmallestHeight")!.SetValue(tooSmall, 480);
        var (id, category, advice) = Classify(tooSmall);
        Assert.Equal(("Nemo.TargetSizeTooSmall", ErrorCategory.InvalidArgument), (id, category));
        Assert.StartsWith("Give -TargetSize ", advice);
        Assert.Contains("-Resolution 480p", advice);
        Assert.Equal(("Nemo.TargetSizeTooSmall", ErrorCategory.InvalidArgument, "Give a larger -TargetSize."), Classify(Size("TooSmall")));
        Assert.Equal(("Nemo.UnknownLength", ErrorCategory.InvalidData), (Classify(Size("NoLength")).Id, Classify(Size("NoLength")).Category));
        Assert.Equal(("Nemo.TargetSizeMissed", ErrorCategory.InvalidResult), (Classify(Size("Missed")).Id, Classify(Size("Missed")).Category));
    }

    [Fact]
    public void Framework_exceptions_have_ids_and_categories_of_their_own()
    {
        var exists = (Exception)ModuleAssembly.New(ModuleAssembly.CoreType("OutputExistsException"), "/x/clip.mp3");
        Assert.Equal(("Nemo.OutputExists", ErrorCategory.ResourceExists), (Classify(exists).Id, Classify(exists).Category));
        Assert.Contains("-SkipExisting", Classify(exists).Advice);
        Assert.Equal(("Nemo.Stopped", ErrorCategory.OperationStopped, (string?)null), Classify(new OperationCanceledException()));
        Assert.Equal(("Nemo.OutputNotWritable", ErrorCategory.PermissionDenied), (Classify(new UnauthorizedAccessException()).Id, Classify(new UnauthorizedAccessException()).Category));
        Assert.Equal(("Nemo.FolderNotFound", ErrorCategory.ObjectNotFound), (Classify(new DirectoryNotFoundException()).Id, Classify(new DirectoryNotFoundException()).Category));
        Assert.Equal(("Nemo.PathNotFound", ErrorCategory.ObjectNotFound), (Classify(new FileNotFoundException()).Id, Classify(new FileNotFoundException()).Category));
        Assert.Equal(("Nemo.IO", ErrorCategory.WriteError, (string?)null), Classify(new IOException()));
        Assert.Equal(("Nemo.InvalidArgument", ErrorCategory.InvalidArgument, (string?)null), Classify(new ArgumentException()));
        Assert.Equal(("Nemo.Unexpected", ErrorCategory.NotSpecified, (string?)null), Classify(new InvalidOperationException()));
    }

    [Fact]
    public void The_record_names_its_file_shows_the_servers_words_and_carries_the_advice()
    {
        var file = new FileInfo(Path.Combine(Path.GetTempPath(), "episode 12.mkv"));
        var record = ToRecord(new AggregateException(Api("InsufficientCredits", "Not enough credits")), file);
        Assert.Equal("Nemo.InsufficientCredits", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.QuotaExceeded, record.CategoryInfo.Category);
        Assert.Same(file, record.TargetObject);
        Assert.Equal("NemoApiException", record.Exception.GetType().Name); // the single inner exception, not the aggregate
        Assert.Equal("'episode 12.mkv': Not enough credits.", record.ErrorDetails.Message);
        Assert.Contains("-Engine Local", record.ErrorDetails.RecommendedAction);

        var plain = ToRecord(new IOException("'episode 12.mkv' is locked."), file);
        Assert.Equal("'episode 12.mkv' is locked.", plain.ErrorDetails.Message); // named already: not twice
        Assert.Equal("", plain.ErrorDetails.RecommendedAction); // none: PowerShell shows no empty advice
    }
}
