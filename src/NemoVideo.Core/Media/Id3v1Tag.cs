using System.Text;

namespace NemoVideo.Media;

/// <summary>
/// The 128-byte ID3v1 tag at the end of an MP3 ("TAG", then title, artist and album of 30 bytes, year of 4, comment of
/// 30 — of 28 and a track number in ID3v1.1 — and a genre number), under ffprobe's names.
/// </summary>
internal static class Id3v1Tag
{
    /// <summary>The genre names the numbers stand for: ID3v1's 80 and Winamp's extensions.</summary>
    private static readonly string[] Genres =
    {
        "Blues", "Classic Rock", "Country", "Dance", "Disco", "Funk", "Grunge", "Hip-Hop", "Jazz", "Metal", "New Age", "Oldies",
        "Other", "Pop", "R&B", "Rap", "Reggae", "Rock", "Techno", "Industrial", "Alternative", "Ska", "Death Metal", "Pranks",
        "Soundtrack", "Euro-Techno", "Ambient", "Trip-Hop", "Vocal", "Jazz+Funk", "Fusion", "Trance", "Classical",
        "Instrumental", "Acid", "House", "Game", "Sound Clip", "Gospel", "Noise", "Alt. Rock", "Bass", "Soul", "Punk", "Space",
        "Meditative", "Instrumental Pop", "Instrumental Rock", "Ethnic", "Gothic", "Darkwave", "Techno-Industrial", "Electronic",
        "Pop-Folk", "Eurodance", "Dream", "Southern Rock", "Comedy", "Cult", "Gangsta Rap", "Top 40", "Christian Rap",
        "Pop/Funk", "Jungle", "Native American", "Cabaret", "New Wave", "Psychedelic", "Rave", "Showtunes", "Trailer", "Lo-Fi",
        "Tribal", "Acid Punk", "Acid Jazz", "Polka", "Retro", "Musical", "Rock & Roll", "Hard Rock", "Folk", "Folk-Rock",
        "National Folk", "Swing", "Fast-Fusion", "Bebop", "Latin", "Revival", "Celtic", "Bluegrass", "Avantgarde", "Gothic Rock",
        "Progressive Rock", "Psychedelic Rock", "Symphonic Rock", "Slow Rock", "Big Band", "Chorus", "Easy Listening",
        "Acoustic", "Humour", "Speech", "Chanson", "Opera", "Chamber Music", "Sonata", "Symphony", "Booty Bass", "Primus",
        "Porn Groove", "Satire", "Slow Jam", "Club", "Tango", "Samba", "Folklore", "Ballad", "Power Ballad", "Rhythmic Soul",
        "Freestyle", "Duet", "Punk Rock", "Drum Solo", "A Cappella", "Euro-House", "Dance Hall", "Goa", "Drum & Bass",
        "Club-House", "Hardcore", "Terror", "Indie", "BritPop", "Afro-Punk", "Polsk Punk", "Beat", "Christian Gangsta Rap",
        "Heavy Metal", "Black Metal", "Crossover", "Contemporary Christian", "Christian Rock", "Merengue", "Salsa",
        "Thrash Metal", "Anime", "JPop", "Synthpop", "Abstract", "Art Rock", "Baroque", "Bhangra", "Big Beat", "Breakbeat",
        "Chillout", "Downtempo", "Dub", "EBM", "Eclectic", "Electro", "Electroclash", "Emo", "Experimental", "Garage", "Global",
        "IDM", "Illbient", "Industro-Goth", "Jam Band", "Krautrock", "Leftfield", "Lounge", "Math Rock", "New Romantic",
        "Nu-Breakz", "Post-Punk", "Post-Rock", "Psytrance", "Shoegaze", "Space Rock", "Trop Rock", "World Music", "Neoclassical",
        "Audiobook", "Audio Theatre", "Neue Deutsche Welle", "Podcast", "Indie Rock", "G-Funk", "Dubstep", "Garage Rock",
        "Psybient"

    };

    /// <summary>The tag's fields, or null when the file does not end with one.</summary>
    public static Dictionary<string, string>? Read(Stream s, long length)
    {
        if (length < 128) return null;
        var b = new byte[128];
        if (Mp3Reader.ReadAt(s, length - 128, b, 128) < 128 || b[0] != 'T' || b[1] != 'A' || b[2] != 'G') return null;
        var tags = new Dictionary<string, string>();
        void Put(string name, string? value) { if (!string.IsNullOrEmpty(value)) tags[name] = value!; }
        Put("title", Text(b, 3, 30));
        Put("artist", Text(b, 33, 30));
        Put("album", Text(b, 63, 30));
        Put("date", Text(b, 93, 4));
        var v11 = b[125] == 0 && b[126] != 0; // ID3v1.1: a zero, then the track number, in the comment's last two bytes
        Put("comment", Text(b, 97, v11 ? 28 : 30));
        if (v11) Put("track", b[126].ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (b[127] < Genres.Length) Put("genre", Genres[b[127]]);
        return tags;
    }

    /// <summary>
    /// A field, cut at its first zero and trimmed of the spaces that pad it. The standard says Latin-1, but ffmpeg writes
    /// (and ffprobe reads) UTF-8: bytes that are valid UTF-8 are read as that, any others as Latin-1, as mutagen does.
    /// </summary>
    private static string Text(byte[] b, int start, int count)
    {
        var end = start;
        while (end < start + count && b[end] != 0) end++;
        string text;
        try { text = new UTF8Encoding(false, true).GetString(b, start, end - start); }
        catch (DecoderFallbackException) { text = Id3v2Text.Decode(Id3v2Text.Latin1, b, start, end - start); }
        return text.Trim(' ');
    }
}
