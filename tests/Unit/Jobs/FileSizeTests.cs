using NemoVideo.Jobs;

namespace NemoVideo.Tests.Jobs;

/// <summary>Sizes read and written the way PowerShell counts them (1024-based).</summary>
public class FileSizeTests
{
    [Theory]
    [InlineData("512", 512L)]
    [InlineData("512 bytes", 512L)]
    [InlineData("1b", 1L)]
    [InlineData("2k", 2048L)]
    [InlineData("2 KiB", 2048L)]
    [InlineData("1,5 MB", 1572864L)]
    [InlineData(" 3mb ", 3145728L)]
    [InlineData("2G", 2147483648L)]
    [InlineData("1TB", 1099511627776L)]
    public void Parses_numbers_with_or_without_a_unit_in_any_case(string text, long bytes) =>
        Assert.Equal(bytes, FileSize.Parse(text).Bytes);

    [Theory]
    [InlineData("")]
    [InlineData("MB")]
    [InlineData("-5MB")]
    [InlineData("5 PB")]
    [InlineData("1e6")]
    public void Refuses_what_is_not_a_size_with_examples(string text) =>
        Assert.Contains("25MB", Assert.Throws<FormatException>(() => FileSize.Parse(text)).Message);

    [Theory]
    [InlineData("0")]
    [InlineData("0.4")]
    [InlineData("9999999TB")]
    public void Refuses_a_size_no_file_can_have(string text) =>
        Assert.Contains("not a size a file can have", Assert.Throws<FormatException>(() => FileSize.Parse(text)).Message);

    [Fact]
    public void A_size_of_nothing_cannot_be_made() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FileSize(0));

    [Theory]
    [InlineData(1023L, "1023 bytes")]
    [InlineData(1024L, "1 KB")]
    [InlineData(1536L, "1.5 KB")]
    [InlineData(12_345L, "12.1 KB")]
    [InlineData(150L * 1024, "150 KB")]
    [InlineData(1024L * 1024 - 1, "1024 KB")]
    [InlineData(3L * 1024 * 1024 * 1024 * 1024 * 1024, "3072 TB")]
    public void Writes_at_most_three_significant_figures_in_the_largest_unit(long bytes, string text) =>
        Assert.Equal(text, FileSize.Format(bytes));

    [Fact]
    public void Equal_sizes_are_equal_and_order_by_bytes()
    {
        Assert.Equal(FileSize.Parse("1KB"), FileSize.Parse("1024"));
        Assert.Equal(FileSize.Parse("1KB").GetHashCode(), new FileSize(1024).GetHashCode());
        Assert.True(FileSize.Parse("1KB").CompareTo(FileSize.Parse("1MB")) < 0);
        Assert.False(FileSize.Parse("1KB").Equals((object)1024L));
    }
}
