using System.Text;

namespace NemoVideo.Tests.Infrastructure;

/// <summary>The tags players find at the end of an MP3, built byte by byte for tests.</summary>
public static class Mp3Trailers
{
    /// <summary>An APEv2 tag of one text item, with its header and footer.</summary>
    public static IEnumerable<byte> ApeTag(string key, string value)
    {
        var item = new List<byte>();
        item.AddRange(BitConverter.GetBytes(Encoding.UTF8.GetByteCount(value)));
        item.AddRange(BitConverter.GetBytes(0));
        item.AddRange(Encoding.ASCII.GetBytes(key)); item.Add(0);
        item.AddRange(Encoding.UTF8.GetBytes(value));
        byte[] Block(bool header)
        {
            var b = new List<byte>(Encoding.ASCII.GetBytes("APETAGEX"));
            b.AddRange(BitConverter.GetBytes(2000));
            b.AddRange(BitConverter.GetBytes(item.Count + 32));
            b.AddRange(BitConverter.GetBytes(1));
            b.AddRange(BitConverter.GetBytes(unchecked((int)0x80000000) | (header ? 0x20000000 : 0)));
            b.AddRange(new byte[8]);
            return b.ToArray();
        }
        return Block(true).Concat(item).Concat(Block(false));
    }
}
