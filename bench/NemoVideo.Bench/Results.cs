using System.Text;

namespace NemoVideo.Bench;

/// <summary>One line of the results table.</summary>
internal sealed record Row(string Group, string Metric, string Ours, string Baseline, double Ratio, string Target, bool? Met, string Raw);

internal sealed class Results
{
    private readonly List<Row> _rows = new();
    private readonly List<string> _notes = new();

    public void Add(Row row)
    {
        lock (_rows) _rows.Add(row);
        Console.WriteLine($"[{row.Group}] {row.Metric}: ours {row.Ours}, baseline {row.Baseline}, ratio {Ratio(row.Ratio)} (target {row.Target}) {(row.Met is bool m ? (m ? "MET" : "MISSED") : "")}");
    }

    public void Note(string text) { lock (_notes) _notes.Add(text); }

    private static string Ratio(double r) => double.IsNaN(r) ? "–" : Harness.F(r, r < 0.1 ? "0.0000" : "0.00");

    public string Markdown(string machine, TimeSpan took)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Benchmark results").AppendLine();
        sb.AppendLine($"Made by `dotnet run -c Release --project bench/NemoVideo.Bench` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, in {took.TotalMinutes:0.0} minutes.").AppendLine();
        sb.AppendLine($"Machine: {machine}").AppendLine();
        sb.AppendLine("Every ratio is measured side by side in the same run: warm-up first, then the two sides alternate, and the medians are compared. The raw numbers follow each row. The emulator runs as a separate process on loopback.").AppendLine();
        sb.AppendLine("| Group | Metric | Ours | Baseline | Ratio | Target | Met |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in _rows)
            sb.AppendLine($"| {r.Group} | {r.Metric} | {r.Ours} | {r.Baseline} | {Ratio(r.Ratio)} | {r.Target} | {(r.Met is bool m ? (m ? "yes" : "**no**") : "–")} |");
        sb.AppendLine().AppendLine("## Raw numbers").AppendLine();
        foreach (var r in _rows) sb.AppendLine($"- **{r.Group} / {r.Metric}**: {r.Raw}");
        if (_notes.Count > 0)
        {
            sb.AppendLine().AppendLine("## Notes").AppendLine();
            foreach (var n in _notes) sb.AppendLine("- " + n);
        }
        return sb.ToString();
    }
}
