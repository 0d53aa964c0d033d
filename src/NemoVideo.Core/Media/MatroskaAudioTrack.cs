namespace NemoVideo.Media;

/// <summary>
/// One audio track of a Matroska/WebM file: its TrackEntry (number, CodecID, CodecPrivate), then every Cluster walked
/// from the file through one large buffer, taking the track's SimpleBlocks and BlockGroup Blocks (no lacing, or Xiph,
/// EBML or fixed-size lacing) and stepping over the other tracks' blocks without copying them. Segments and Clusters are
/// entered, not measured, so an unknown size (a live OBS recording) reads the same as a known one.
/// </summary>
internal sealed class MatroskaAudioTrack : AudioTrackPlan
{
    private const uint Ebml = 0x1A45DFA3, Segment = 0x18538067, Cluster = 0x1F43B675, BlockGroup = 0xA0, SimpleBlock = 0xA3, Block = 0xA1,
        Tracks = 0x1654AE6B, Info = 0x1549A966, ClusterTimestamp = 0xE7;

    private const int BufferSize = 4 << 20;

    /// <summary>How much of the clusters TryPlan reads to estimate the output's size.</summary>
    private const int SampleBytes = 8 << 20;

    private readonly ulong _trackNumber;

    private MatroskaAudioTrack(ulong trackNumber, AacConfig? aac)
    {
        _trackNumber = trackNumber;
        Aac = aac;
    }

    public static AudioTrackPlan? TryPlan(Stream s, long length, int audioIndex, out string? whyNot)
    {
        var walk = new Walk(s, length, audioIndex, null, null, default, SampleBytes);
        walk.Run();
        whyNot = walk.WhyNot;
        if (whyNot != null || walk.Track is not MatroskaAudioTrack track) return null;
        if (walk.Frames == 0 && walk.ReachedEnd) { whyNot = "the audio track has no frames"; return null; }
        if (track.Aac is null && walk.FirstFrame is byte[] first && CheckMp3(first, 0, first.Length) is string notMp3) { whyNot = notMp3; return null; }
        // The segment's duration is the longest track's; a file read to its end gives this track's own, from its last block.
        if (walk.ReachedEnd && walk.Frames > 0)
        {
            var samples = track.Aac is null ? (walk.FirstFrame!.Length >= 4 && MpegFrame.TryRead(walk.FirstFrame, 0, out var mp3) ? mp3.SamplesPerFrame / (double)mp3.SampleRate : 0) : 1024.0 / track.Aac.Value.SampleRate;
            track.Duration = TimeSpan.FromTicks(walk.LastTicks + (long)(walk.LastBlockFrames * samples * TimeSpan.TicksPerSecond));
        }
        else if (walk.DurationTicks is double ticks && ticks > 0) track.Duration = TimeSpan.FromTicks((long)Math.Min(ticks, TimeSpan.MaxValue.Ticks));
        var written = walk.Payload + (track.Aac is null ? 0 : 7 * walk.Frames);
        if (walk.ReachedEnd) track.EstimatedBytes = written;
        else if (walk.DurationTicks is double total && walk.LastTicks > TimeSpan.TicksPerSecond)
            track.EstimatedBytes = (long)(written * (total / walk.LastTicks));
        else
            track.EstimatedBytes = (long)(written * ((double)(length - walk.FirstCluster) / Math.Max(1, walk.Position - walk.FirstCluster)));
        return track;
    }

    public override void Copy(Stream source, FrameWriter writer, IProgress<double>? progress, CancellationToken ct)
    {
        var walk = new Walk(source, source.Length, -1, writer, progress, ct, long.MaxValue) { TrackNumber = _trackNumber };
        walk.Run();
        if (walk.WhyNot != null) throw new InvalidDataException(walk.WhyNot);
    }

    /// <summary>
    /// One pass over the file: the track list (to find the track, when planning), then the clusters' blocks. Planning
    /// stops after <c>limit</c> bytes of clusters and counts the track's frames; copying hands them to the writer.
    /// </summary>
    private sealed class Walk
    {
        private readonly Stream _s;
        private readonly long _length;
        private readonly int _audioIndex;
        private readonly FrameWriter? _writer;
        private readonly IProgress<double>? _progress;
        private readonly CancellationToken _ct;
        private readonly long _limit;
        private byte[] _buf = new byte[BufferSize];
        private long _bufStart; // the file offset of _buf[0]
        private int _pos, _count;
        private long _reported;
        private readonly int[] _laces = new int[256];

        public Walk(Stream s, long length, int audioIndex, FrameWriter? writer, IProgress<double>? progress, CancellationToken ct, long limit)
        {
            _s = s; _length = length; _audioIndex = audioIndex; _writer = writer; _progress = progress; _ct = ct; _limit = limit;
            _s.Position = 0;
        }

        public ulong? TrackNumber;
        public AudioTrackPlan? Track;
        public string? WhyNot;
        public long Frames, Payload;
        public byte[]? FirstFrame;
        public bool ReachedEnd;
        public long FirstCluster = -1;
        public double? DurationTicks;
        public long LastTicks;
        public int LastBlockFrames;
        private long _timestampScale = 1_000_000;
        private double? _duration;
        private long _clusterTime;

        public long Position => _bufStart + _pos;

        public void Run()
        {
            while (true)
            {
                if (!Ensure(2)) { ReachedEnd = true; return; }
                var at = Position;
                if (!TryHeader(out var id, out var size))
                {
                    if (Position + 12 >= _length) { ReachedEnd = true; return; } // a header cut by the end of the file
                    WhyNot = $"the Matroska file is damaged at byte {at}";
                    return;
                }
                switch (id)
                {
                    case Ebml when at == 0:
                        if (size is not long ebmlSize) { WhyNot = "the Matroska header has no size"; return; }
                        Skip(ebmlSize);
                        continue;
                    case Ebml:
                        ReachedEnd = true; // a second segment chained after the first: the track ends with the first
                        return;
                    case Segment or BlockGroup:
                        continue; // entered: its children follow
                    case Cluster:
                        if (TrackNumber is null) { if (WhyNot is null) Missing(); return; }
                        if (FirstCluster < 0) FirstCluster = at;
                        if (at - FirstCluster >= _limit) return;
                        continue;
                    case SimpleBlock or Block:
                        if (size is not long blockSize || !Frame(blockSize)) return;
                        continue;
                    case ClusterTimestamp when size is long n && n <= 8:
                        if (!Ensure((int)n)) { ReachedEnd = true; return; }
                        _clusterTime = (long)Number(_buf, _pos, (int)n);
                        _pos += (int)n;
                        continue;
                    case Info or Tracks when size is long n && n <= 64 << 20:
                        if (!Ensure((int)n)) { WhyNot = "the Matroska file is cut short in its track list"; return; }
                        var element = new byte[n];
                        Buffer.BlockCopy(_buf, _pos, element, 0, (int)n);
                        _pos += (int)n;
                        if (id == Info) ReadInfo(element);
                        else if (TrackNumber is null && !ReadTracks(element)) return;
                        continue;
                    default:
                        if (size is not long other) { ReachedEnd = true; return; } // an unknown-size element of another kind: nothing after it can be placed
                        Skip(other);
                        continue;
                }
            }
        }

        private void Missing()
        {
            WhyNot = "the Matroska file has no track list before its clusters";
        }

        private void ReadInfo(byte[] b)
        {
            foreach (var e in MatroskaReader.Children(b, 0, b.Length))
            {
                if (e.Id == 0x2AD7B1 && (long)MatroskaReader.UInt(b, e) is var scale and > 0) _timestampScale = scale;
                else if (e.Id == 0x4489) _duration = MatroskaReader.Float(b, e);
            }
            if (_duration is double d && d > 0) DurationTicks = d * _timestampScale / 100;
        }

        /// <summary>Finds the audio track asked for; false (with the reason) when it is not there or cannot be taken out.</summary>
        private bool ReadTracks(byte[] b)
        {
            var audio = 0;
            foreach (var entry in MatroskaReader.Children(b, 0, b.Length))
            {
                if (entry.Id != 0xAE) continue; // TrackEntry
                ulong type = 0, number = 0;
                string? codec = null;
                (int Start, int End)? priv = null;
                double rate = 8000;
                var channels = 1;
                var encoded = false;
                foreach (var e in MatroskaReader.Children(b, entry.Start, entry.End))
                {
                    switch (e.Id)
                    {
                        case 0x83: type = MatroskaReader.UInt(b, e); break;
                        case 0xD7: number = MatroskaReader.UInt(b, e); break;
                        case 0x86: codec = MatroskaReader.Utf8(b, e); break;
                        case 0x63A2: priv = (e.Start, e.End); break;
                        case 0x6D80: encoded = MatroskaReader.Children(b, e.Start, e.End).Any(c => c.Id == 0x6240); break; // ContentEncodings with a ContentEncoding
                        case 0xE1:
                            foreach (var a in MatroskaReader.Children(b, e.Start, e.End))
                                if (a.Id == 0xB5) rate = MatroskaReader.Float(b, a);
                                else if (a.Id == 0x9F) channels = (int)MatroskaReader.UInt(b, a);
                            break;
                    }
                }
                if (type != 2 || audio++ != _audioIndex) continue;

                if (encoded) { WhyNot = "the audio track's frames are stored with a content encoding (header stripping or compression), not as they are"; return false; }
                if (codec == "A_MPEG/L3") { Plan(number, null); return true; }
                if (codec is null || !codec.StartsWith("A_AAC", StringComparison.Ordinal))
                {
                    WhyNot = OtherCodec(codec switch
                    {
                        null => "not given", "A_OPUS" => "opus", "A_VORBIS" => "vorbis", "A_FLAC" => "flac", "A_AC3" => "ac3", "A_EAC3" => "eac3",
                        "A_MPEG/L2" => "mp2", "A_DTS" => "dts", _ when codec.StartsWith("A_PCM", StringComparison.Ordinal) => "pcm", _ => codec,
                    });
                    return false;
                }
                AacConfig? aac;
                if (priv is var (ps, pe) && pe - ps >= 2) aac = AacConfig.TryParse(b, ps, pe, out WhyNot);
                else aac = FromCodecId(codec, rate, channels, out WhyNot);
                if (aac is null) return false;
                Plan(number, aac);
                return true;
            }
            WhyNot = audio == 0 ? "the file has no audio track" : $"the file has {audio} audio track{(audio == 1 ? "" : "s")}, not {_audioIndex + 1}";
            return false;
        }

        private void Plan(ulong number, AacConfig? aac)
        {
            TrackNumber = number;
            Track = new MatroskaAudioTrack(number, aac);
        }

        /// <summary>The config the old A_AAC/MPEG2|MPEG4/PROFILE ids imply, from the track's rate and channels (the core rate for /SBR).</summary>
        private static AacConfig? FromCodecId(string codec, double rate, int channels, out string? whyNot)
        {
            whyNot = null;
            var profile = codec.Length > 12 ? codec.Substring(12) : ""; // after "A_AAC/MPEGx/"
            var type = profile switch { "MAIN" => 1, "LC" or "LC/SBR" => 2, "SSR" => 3, "LTP" => 4, _ => 0 };
            if (type == 0 || !(codec.StartsWith("A_AAC/MPEG4/", StringComparison.Ordinal) || codec.StartsWith("A_AAC/MPEG2/", StringComparison.Ordinal)))
            {
                whyNot = $"the AAC track ({codec}) has no AudioSpecificConfig (CodecPrivate)";
                return null;
            }
            var index = AacConfig.RateIndexOf((int)Math.Round(rate));
            if (index < 0) { whyNot = $"the AAC track's sample rate {rate} Hz cannot be written in an ADTS header"; return null; }
            if (channels is < 1 or > 8 || channels == 7) { whyNot = $"the AAC track's {channels} channels cannot be written in an ADTS header"; return null; }
            return new AacConfig(type, index, channels == 8 ? 7 : channels);
        }

        /// <summary>
        /// A SimpleBlock or Block of <paramref name="size"/> bytes at the read position: the track's frames out, any other
        /// track's block stepped over. False at the end of the data (a block cut short by the end of the file).
        /// </summary>
        private bool Frame(long size)
        {
            if (!Ensure((int)Math.Min(size, 12)) || _count - _pos < 4) { ReachedEnd = true; return false; }
            var start = _pos;
            var first = _buf[start];
            if (first == 0) { WhyNot = $"the Matroska block at byte {Position} has no track number"; return false; }
            var numberLength = 1;
            while ((first & (0x80 >> (numberLength - 1))) == 0) numberLength++;
            var number = (ulong)(first & ((0x80 >> (numberLength - 1)) - 1));
            for (var i = 1; i < numberLength; i++) number = number << 8 | _buf[start + i];
            if (number != TrackNumber) { Skip(size); return true; }

            if (size > 256 << 20) { WhyNot = $"an audio block of {size} bytes at byte {Position}"; return false; }
            if (!Ensure((int)size)) { ReachedEnd = true; return false; }
            start = _pos;
            var end = start + (int)size;
            _pos = end;
            var at = start + numberLength;
            if (at + 3 > end) { WhyNot = "a Matroska block is shorter than its header"; return false; }
            var ticks = (long)((_clusterTime + (short)(_buf[at] << 8 | _buf[at + 1])) * (double)_timestampScale / 100);
            if (ticks >= LastTicks) { LastTicks = ticks; LastBlockFrames = 1; }
            var flags = _buf[at + 2];
            at += 3;
            var lacing = (flags >> 1) & 3;
            if (lacing == 0) { Emit(at, end - at); return true; }

            if (at >= end) { WhyNot = "a laced Matroska block has no frame count"; return false; }
            var count = _buf[at++] + 1;
            if (ticks >= LastTicks) LastBlockFrames = count;
            switch (lacing)
            {
                case 1: // Xiph: each size but the last as a run of 255s and the byte that ends it
                    for (var i = 0; i < count - 1; i++)
                    {
                        var frame = 0;
                        byte b;
                        do
                        {
                            if (at >= end) { WhyNot = "a Xiph-laced block's sizes run past it"; return false; }
                            b = _buf[at++];
                            frame += b;
                        } while (b == 255);
                        _laces[i] = frame;
                    }
                    break;
                case 3 when count > 1: // EBML: the first size, then each next as a signed difference from the one before
                    {
                        if (!TryVint(_buf, at, end, out var value, out var length)) { WhyNot = "an EBML-laced block's first size is damaged"; return false; }
                        at += length;
                        var frame = (long)value;
                        _laces[0] = (int)frame;
                        for (var i = 1; i < count - 1; i++)
                        {
                            if (!TryVint(_buf, at, end, out value, out length)) { WhyNot = "an EBML-laced block's sizes are damaged"; return false; }
                            at += length;
                            frame += (long)value - ((1L << (7 * length - 1)) - 1);
                            if (frame < 0 || frame > size) { WhyNot = "an EBML-laced block's sizes are damaged"; return false; }
                            _laces[i] = (int)frame;
                        }
                    }
                    break;
                case 2: // fixed: the rest shared equally
                    if ((end - at) % count != 0) { WhyNot = "a fixed-size-laced block does not divide into its frames"; return false; }
                    for (var i = 0; i < count - 1; i++) _laces[i] = (end - at) / count;
                    break;
            }
            var sum = 0L;
            for (var i = 0; i < count - 1; i++) sum += _laces[i];
            if (sum > end - at) { WhyNot = "a laced block's frames are larger than the block"; return false; }
            _laces[count - 1] = (int)(end - at - sum);
            for (var i = 0; i < count; i++)
            {
                Emit(at, _laces[i]);
                at += _laces[i];
            }
            return true;
        }

        private void Emit(int at, int count)
        {
            Frames++;
            Payload += count;
            if (FirstFrame is null) { FirstFrame = new byte[Math.Min(count, 4)]; Buffer.BlockCopy(_buf, at, FirstFrame, 0, FirstFrame.Length); }
            _writer?.Write(_buf, at, count);
        }

        /// <summary>An element header at the read position: its id (with marker) and size (null: unknown); the position moves past it.</summary>
        private bool TryHeader(out uint id, out long? size)
        {
            id = 0; size = null;
            Ensure(12);
            if (!TryVint(_buf, _pos, _count, out _, out var idLength, keepMarker: true) || idLength > 4) return false;
            id = (uint)Number(_buf, _pos, idLength);
            if (!TryVint(_buf, _pos + idLength, _count, out var value, out var sizeLength)) return false;
            _pos += idLength + sizeLength;
            size = value == (1UL << (7 * sizeLength)) - 1 ? null : (long)Math.Min(value, long.MaxValue / 2);
            return true;
        }

        private static bool TryVint(byte[] b, int pos, int end, out ulong value, out int length, bool keepMarker = false) =>
            MatroskaReader.TryVint(b, pos, end, keepMarker, out value, out length);

        private static ulong Number(byte[] b, int at, int n)
        {
            ulong v = 0;
            for (var i = 0; i < n; i++) v = v << 8 | b[at + i];
            return v;
        }

        /// <summary>At least <paramref name="n"/> bytes from the read position in the buffer, reading on as far as it holds; false at the end of the file.</summary>
        private bool Ensure(int n)
        {
            if (_count - _pos >= n) return true;
            _ct.ThrowIfCancellationRequested();
            if (_pos > 0)
            {
                Buffer.BlockCopy(_buf, _pos, _buf, 0, _count - _pos);
                _bufStart += _pos;
                _count -= _pos;
                _pos = 0;
            }
            if (n > _buf.Length) Array.Resize(ref _buf, n);
            while (_count < n)
            {
                var read = _s.Read(_buf, _count, _buf.Length - _count);
                if (read == 0) break;
                _count += read;
            }
            Report();
            return _count >= n;
        }

        /// <summary>Steps over <paramref name="n"/> bytes: within the buffer, or by seeking past them.</summary>
        private void Skip(long n)
        {
            if (n <= _count - _pos) { _pos += (int)n; return; }
            var target = Math.Min(_length, Position + n);
            _bufStart = target;
            _pos = _count = 0;
            _s.Position = target;
        }

        private void Report()
        {
            if (_progress is null || _length == 0) return;
            var at = _bufStart + _count;
            if (at - _reported < _length / 200) return;
            _reported = at;
            _progress.Report(Math.Min(1, (double)at / _length));
        }
    }
}
