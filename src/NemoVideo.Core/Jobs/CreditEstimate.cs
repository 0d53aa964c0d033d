using NemoVideo.Api;

namespace NemoVideo.Jobs;

/// <summary>What a cloud batch will likely cost against the account's balance, worked out before any edit is paid for.</summary>
public sealed class CreditEstimate
{
    /// <summary>Credits one agent edit costs as the service documents it ("about 50 a session", docs/API.md, Limits and timings).</summary>
    public const decimal DocumentedEditCost = 50;

    private CreditEstimate(int files, int edits, decimal perEdit, decimal available)
    {
        Files = files;
        Edits = Math.Max(files, edits);
        PerEdit = perEdit;
        Available = available;
    }

    public int Files { get; }
    /// <summary>The edits the files need: one each, one a part for a video sent in parts.</summary>
    public int Edits { get; }
    public decimal PerEdit { get; }
    public decimal Available { get; }
    public decimal Needed => Edits * PerEdit;
    /// <summary>The balance cannot cover the edits.</summary>
    public bool Short => Available < Needed;
    /// <summary>How many files the balance likely pays for (at the files' average edits each).</summary>
    public int LikelyToConvert => PerEdit <= 0 ? Files
        : (int)Math.Min(Files, Math.Floor(Math.Max(0, Available) / (PerEdit * Edits / Files)));

    /// <summary>For <paramref name="files"/> needing <paramref name="edits"/> edits in all (one each when null).</summary>
    public static CreditEstimate For(int files, CreditBalance balance, decimal perEdit = DocumentedEditCost, int? edits = null) =>
        new(files, edits ?? files, perEdit, balance.Available);

    public override string ToString() =>
        $"{Files} {(Files == 1 ? "file needs" : "files need")} about {Needed:0} credits ("
        + (Edits == Files ? "one edit each" : $"{Edits} edits: a video over the service's limit goes in parts, an edit each")
        + $", about {PerEdit:0} an edit); the balance is {Available:0}, enough for about {LikelyToConvert}";
}
