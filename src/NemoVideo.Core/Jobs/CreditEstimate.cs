using NemoVideo.Api;

namespace NemoVideo.Jobs;

/// <summary>What a cloud batch will likely cost against the account's balance, worked out before any edit is paid for.</summary>
public sealed class CreditEstimate
{
    /// <summary>Credits one agent edit costs as the service documents it ("about 50 a session", docs/API.md, Limits and timings).</summary>
    public const decimal DocumentedEditCost = 50;

    private CreditEstimate(int files, decimal perEdit, decimal available)
    {
        Files = files;
        PerEdit = perEdit;
        Available = available;
    }

    public int Files { get; }
    public decimal PerEdit { get; }
    public decimal Available { get; }
    public decimal Needed => Files * PerEdit;
    /// <summary>The balance cannot cover one edit per file.</summary>
    public bool Short => Available < Needed;
    /// <summary>How many files the balance likely pays for, at one edit each.</summary>
    public int LikelyToConvert => PerEdit <= 0 ? Files : (int)Math.Min(Files, Math.Floor(Math.Max(0, Available) / PerEdit));

    public static CreditEstimate For(int files, CreditBalance balance, decimal perEdit = DocumentedEditCost) =>
        new(files, perEdit, balance.Available);

    public override string ToString() =>
        $"{Files} {(Files == 1 ? "file needs" : "files need")} about {Needed:0} credits (one edit each, about {PerEdit:0} an edit); " +
        $"the balance is {Available:0}, enough for about {LikelyToConvert}";
}
