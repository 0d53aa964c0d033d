using NemoVideo.Api;
using NemoVideo.Jobs;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Jobs;

/// <summary>
/// The journal by itself: what keys an entry, what a save writes to the config folder and what the next Open finds there.
/// (ResumeTests runs it end to end inside cloud jobs.)
/// </summary>
public class PaidWorkJournalTests : IDisposable
{
    private static readonly Uri Api = new("https://api.example.test/");
    private static readonly Uri OtherApi = new("https://staging.example.test/");
    private const string Account = "fp-account-a";

    private readonly TestEnvironment _env = new();
    private readonly string _source;

    public PaidWorkJournalTests()
    {
        _source = _env.PathIn("talk.mkv");
        File.WriteAllText(_source, "not read by the journal: only its path, size and last write count");
    }

    public void Dispose() => _env.Dispose();

    private PaidWorkJournal Journal(TimeSpan? maxAge = null) => new(_env.ConfigDirectory, maxAge);
    private Mp3Request Request(int kbps = 192, string output = "talk.mp3") => new(_source, _env.PathIn(output), kbps);
    private FileInfo Source => new(_source);

    private static UploadedAsset Upload(string name) => new()
    {
        SessionId = "ignored", FileName = name, FileType = "video", CdnUrl = new Uri("https://cdn.example.test/" + name),
        Duration = TimeSpan.FromSeconds(12.5), Width = 640, Height = 360, Fps = 25, Hash = "h-" + name,
    };

    /// <summary>An entry the way a cloud job leaves it after the paid edit.</summary>
    private JournalEntry SavedEdit(PaidWorkJournal journal, string account = Account, Uri? api = null, string session = "sess-1")
    {
        var entry = journal.Open(Request(), Source, account, api ?? Api);
        entry.RecordEdit(session, new[] { Upload("talk.mkv") });
        Assert.True(journal.Save(entry));
        return entry;
    }

    [Fact]
    public void Open_describes_the_source_request_account_and_api_and_writes_nothing()
    {
        var request = Request();
        var entry = Journal().Open(request, Source, Account, Api);

        Assert.Equal(Source.FullName, entry.Source);
        Assert.Equal(Source.Length, entry.Length);
        Assert.Equal(Source.LastWriteTimeUtc.Ticks, entry.LastWriteUtc);
        Assert.Equal(Path.GetFullPath(request.OutputPath), entry.OutputPath);
        Assert.Equal("Mp3Request|" + request.Instruction + "|" + Path.GetFullPath(request.OutputPath), entry.Request);
        Assert.Equal(Account, entry.Account);
        Assert.Equal(Api.ToString(), entry.Api);
        Assert.Matches("^[0-9a-f]{32}$", entry.Key);
        Assert.Null(entry.SessionId);
        Assert.False(entry.Edited);
        Assert.Equal("Uploaded", entry.Stage);
        Assert.False(Directory.Exists(Journal().Folder)); // opened, not saved
        Assert.Empty(Journal().List());
    }

    [Fact]
    public void The_key_is_the_same_for_the_same_work_and_differs_when_any_part_of_it_does()
    {
        var journal = Journal();
        var key = journal.Open(Request(), Source, Account, Api).Key;

        Assert.Equal(key, journal.Open(Request(), Source, Account, Api).Key);
        Assert.NotEqual(key, journal.Open(Request(kbps: 128), Source, Account, Api).Key);          // another instruction
        Assert.NotEqual(key, journal.Open(Request(output: "other.mp3"), Source, Account, Api).Key); // another output
        Assert.NotEqual(key, journal.Open(Request(), Source, "fp-account-b", Api).Key);             // another account
        Assert.NotEqual(key, journal.Open(Request(), Source, Account, OtherApi).Key);               // another API
        var compress = new CompressRequest(_source, _env.PathIn("talk.mp3"), 1000);
        Assert.NotEqual(key, journal.Open(compress, Source, Account, Api).Key);                     // another kind of job
    }

    [Fact]
    public void Save_writes_one_file_in_the_journal_folder_that_the_next_Open_reads_back_whole()
    {
        var first = Journal();
        var saved = SavedEdit(first);
        saved.RenderId = "render-7";
        Assert.True(first.Save(saved));

        Assert.Equal(Path.Combine(_env.ConfigDirectory, "journal"), first.Folder);
        Assert.Equal(new[] { saved.Key + ".json" }, Directory.GetFiles(first.Folder).Select(Path.GetFileName));

        var found = Journal().Open(Request(), Source, Account, Api); // a later run, a new journal object
        Assert.NotSame(saved, found);
        Assert.Equal(saved.Key, found.Key);
        Assert.Equal("sess-1", found.SessionId);
        Assert.True(found.Edited);
        Assert.Equal("render-7", found.RenderId);
        Assert.Equal("Rendering", found.Stage);
        Assert.Equal(saved.Created, found.Created);
        Assert.Equal(saved.Updated, found.Updated);
        var asset = Assert.Single(found.UploadedAssets());
        Assert.Equal("sess-1", asset.SessionId);
        Assert.Equal("talk.mkv", asset.FileName);
        Assert.Equal("video", asset.FileType);
        Assert.Equal(new Uri("https://cdn.example.test/talk.mkv"), asset.CdnUrl);
        Assert.Equal(TimeSpan.FromSeconds(12.5), asset.Duration);
        Assert.Equal((640, 360, 25.0, "h-talk.mkv"), (asset.Width, asset.Height, asset.Fps, asset.Hash));
    }

    [Fact]
    public void Save_stamps_the_entry_updated()
    {
        var journal = Journal();
        var entry = journal.Open(Request(), Source, Account, Api);
        Assert.Equal(default, entry.Updated);
        var before = DateTimeOffset.UtcNow;
        Assert.True(journal.Save(entry));
        Assert.InRange(entry.Updated, before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public void An_entry_saved_before_any_session_is_not_picked_up()
    {
        var journal = Journal();
        var entry = journal.Open(Request(), Source, Account, Api);
        Assert.True(journal.Save(entry));

        var again = journal.Open(Request(), Source, Account, Api);
        Assert.NotSame(entry, again);
        Assert.Null(again.SessionId);
        Assert.Single(journal.List()); // it is there, only nothing in it is worth resuming
    }

    [Fact]
    public void RecordEdit_writes_down_the_session_and_uploads_and_forgets_an_earlier_render()
    {
        var entry = Journal().Open(Request(), Source, Account, Api);
        entry.RenderId = "render-of-an-older-edit";
        entry.RecordEdit("sess-2", new[] { Upload("a.mkv"), Upload("b.png") });

        Assert.Equal("sess-2", entry.SessionId);
        Assert.True(entry.Edited);
        Assert.Null(entry.RenderId);
        Assert.Equal("Edited", entry.Stage);
        Assert.Equal(new[] { "a.mkv", "b.png" }, entry.Uploads.Select(u => u.FileName));
        Assert.Equal("https://cdn.example.test/b.png", entry.Uploads[1].CdnUrl);
        Assert.Equal(12.5, entry.Uploads[0].DurationSeconds);
        Assert.All(entry.UploadedAssets(), a => Assert.Equal("sess-2", a.SessionId)); // the session recorded, not the upload's own

        entry.RenderId = "render-1";
        Assert.Equal("Rendering", entry.Stage);
    }

    [Fact]
    public void Restart_keeps_the_source_and_key_and_drops_everything_paid_for()
    {
        var journal = Journal();
        var entry = SavedEdit(journal);
        entry.RenderId = "render-1";
        var key = entry.Key;
        var created = entry.Created;

        entry.Restart();

        Assert.Equal(key, entry.Key);
        Assert.Equal(Source.FullName, entry.Source);
        Assert.Null(entry.SessionId);
        Assert.Empty(entry.Uploads);
        Assert.False(entry.Edited);
        Assert.Null(entry.RenderId);
        Assert.Equal("Uploaded", entry.Stage);
        Assert.True(entry.Created >= created);

        Assert.True(journal.Save(entry)); // saved restarted, the next run finds nothing to resume
        Assert.Null(journal.Open(Request(), Source, Account, Api).SessionId);
    }

    [Fact]
    public void Remove_forgets_the_entry_and_removing_it_again_is_harmless()
    {
        var journal = Journal();
        var entry = SavedEdit(journal);

        journal.Remove(entry);
        journal.Remove(entry);

        Assert.Empty(Directory.GetFiles(journal.Folder));
        Assert.Empty(journal.List());
        Assert.Null(journal.Open(Request(), Source, Account, Api).SessionId);
    }

    [Fact]
    public void Work_paid_by_another_account_or_on_another_api_is_not_picked_up()
    {
        var journal = Journal();
        SavedEdit(journal, account: "fp-account-b");
        SavedEdit(journal, api: OtherApi);

        var mine = journal.Open(Request(), Source, Account, Api);

        Assert.Null(mine.SessionId);
        Assert.Equal(Account, mine.Account);
        Assert.Equal(Api.ToString(), mine.Api);
        Assert.Equal("sess-1", journal.Open(Request(), Source, "fp-account-b", Api).SessionId); // each still finds its own
        Assert.Equal("sess-1", journal.Open(Request(), Source, Account, OtherApi).SessionId);
    }

    [Fact]
    public void A_source_changed_on_disk_since_is_not_picked_up()
    {
        var journal = Journal();
        SavedEdit(journal);
        File.AppendAllText(_source, " and then some");

        Assert.Null(journal.Open(Request(), Source, Account, Api).SessionId);
    }

    [Fact]
    public void A_corrupt_journal_file_does_not_break_Open_or_List_and_the_next_Save_replaces_it()
    {
        var journal = Journal();
        var key = journal.Open(Request(), Source, Account, Api).Key;
        Directory.CreateDirectory(journal.Folder);
        var path = Path.Combine(journal.Folder, key + ".json");
        File.WriteAllText(path, "{ \"Key\": \"" + key + "\", \"SessionId\": "); // cut off mid-write
        File.WriteAllText(Path.Combine(journal.Folder, "other.json"), "\0\0\0 not json");

        var entry = journal.Open(Request(), Source, Account, Api);
        Assert.Equal(key, entry.Key);
        Assert.Null(entry.SessionId);
        Assert.Empty(journal.List());

        entry.RecordEdit("sess-9", Array.Empty<UploadedAsset>());
        Assert.True(journal.Save(entry));
        Assert.Equal("sess-9", journal.Open(Request(), Source, Account, Api).SessionId);
    }

    [Fact]
    public void An_entry_older_than_MaxAge_is_not_picked_up_and_List_removes_it()
    {
        SavedEdit(Journal());
        var expiring = Journal(maxAge: TimeSpan.Zero);

        Assert.Null(expiring.Open(Request(), Source, Account, Api).SessionId);
        Assert.Empty(expiring.List());
        Assert.Empty(Directory.GetFiles(expiring.Folder)); // removed on the way
        Assert.Equal(PaidWorkJournal.DefaultMaxAge, Journal().MaxAge);
        Assert.Equal(TimeSpan.FromDays(7), PaidWorkJournal.DefaultMaxAge);
    }

    [Fact]
    public void List_gives_every_pending_entry_newest_first()
    {
        var journal = Journal();
        var older = SavedEdit(journal, account: "fp-older");
        var newer = SavedEdit(journal, account: "fp-newer");
        older.Updated = newer.Updated - TimeSpan.FromMinutes(1); // saved first, stated plainly rather than waited for
        File.WriteAllText(Path.Combine(journal.Folder, older.Key + ".json"),
            System.Text.Json.JsonSerializer.Serialize(older));

        Assert.Equal(new[] { newer.Key, older.Key }, journal.List().Select(e => e.Key));
        Assert.Empty(new PaidWorkJournal(Path.Combine(_env.Root, "never-created")).List());
    }

    [Fact]
    public void A_journal_that_cannot_be_written_returns_false_instead_of_failing_the_job()
    {
        Directory.CreateDirectory(_env.ConfigDirectory);
        File.WriteAllText(Path.Combine(_env.ConfigDirectory, "journal"), "a file where the folder would be");
        var journal = Journal();
        var entry = journal.Open(Request(), Source, Account, Api);
        entry.RecordEdit("sess-1", Array.Empty<UploadedAsset>());

        Assert.False(journal.Save(entry));
        journal.Remove(entry); // nothing to remove, nothing thrown
    }

    [Fact]
    public void A_temporary_file_a_killed_write_left_long_ago_is_cleared_by_Open_and_a_fresh_one_is_kept()
    {
        var journal = Journal();
        Directory.CreateDirectory(journal.Folder);
        var dead = Path.Combine(journal.Folder, ".abc.json.1234.partial");
        var live = Path.Combine(journal.Folder, ".def.json.5678.partial");
        File.WriteAllText(dead, "{");
        File.WriteAllText(live, "{");
        File.SetLastWriteTimeUtc(dead, DateTime.UtcNow - TimeSpan.FromHours(1));

        journal.Open(Request(), Source, Account, Api);

        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live)); // may be another run's write in progress
    }
}
