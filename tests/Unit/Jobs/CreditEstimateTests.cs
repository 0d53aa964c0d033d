using NemoVideo.Api;
using NemoVideo.Jobs;

namespace NemoVideo.Tests.Jobs;

/// <summary>A batch's likely cost against the balance, before any edit is paid for.</summary>
public class CreditEstimateTests
{
    private static CreditBalance Balance(decimal available) => new() { Available = available, Total = available };

    [Fact]
    public void Needs_one_documented_edit_a_file()
    {
        var e = CreditEstimate.For(3, Balance(1000));
        Assert.Equal(CreditEstimate.DocumentedEditCost, e.PerEdit);
        Assert.Equal(150, e.Needed);
        Assert.False(e.Short);
        Assert.Equal(3, e.LikelyToConvert);
    }

    [Fact]
    public void A_short_balance_says_how_many_files_it_likely_pays_for()
    {
        var e = CreditEstimate.For(5, Balance(120));
        Assert.True(e.Short);
        Assert.Equal(2, e.LikelyToConvert);
        Assert.Equal("5 files need about 250 credits (one edit each, about 50 an edit); the balance is 120, enough for about 2", e.ToString());
        Assert.Equal(0, CreditEstimate.For(5, Balance(-10)).LikelyToConvert);
    }

    [Fact]
    public void Exactly_enough_is_not_short_and_one_file_reads_as_one()
    {
        var e = CreditEstimate.For(1, Balance(50));
        Assert.False(e.Short);
        Assert.Equal(1, e.LikelyToConvert);
        Assert.StartsWith("1 file needs about 50 credits", e.ToString());
    }

    [Fact]
    public void Free_edits_convert_every_file()
    {
        var e = CreditEstimate.For(4, Balance(0), perEdit: 0);
        Assert.False(e.Short);
        Assert.Equal(4, e.LikelyToConvert);
    }
}
