using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// TMRoPE position ids, a port of <c>get_rope_index</c> of the reference thinker. Text advances
/// all three axes together; an image or video contributes (time, row, column) per merged patch,
/// time in units of position_id_per_seconds; audio advances all axes together; with audio in
/// video, video and audio are cut into chunks of seconds_per_chunk and interleaved. Every new
/// segment starts at max(last appended segment) + 1, which is not always the global maximum:
/// the reference does this and the model was trained on it.
/// </summary>
public static class Qwen25OmniRopeIndex
{
    /// <summary>
    /// Returns position ids [3, B, L] (int64, padding positions 1) and rope deltas [B, 1]
    /// (max position + 1 - unpadded length), on the CPU.
    /// </summary>
    /// <param name="inputIds">[B, L] with placeholders already expanded.</param>
    /// <param name="imageGridThw">[numImages, 3] or null.</param>
    /// <param name="videoGridThw">[numVideos, 3] or null.</param>
    /// <param name="attentionMask">[B, L] 0/1 or null (all ones).</param>
    /// <param name="audioSeqlens">[numAudios] mel frame counts (feature_attention_mask.sum(-1)).</param>
    /// <param name="secondPerGrids">[numVideos] seconds per temporal grid step.</param>
    public static (Tensor PositionIds, Tensor RopeDeltas) GetRopeIndex(
        Qwen25OmniThinkerConfig config,
        Tensor inputIds,
        Tensor? imageGridThw = null,
        Tensor? videoGridThw = null,
        Tensor? attentionMask = null,
        bool useAudioInVideo = false,
        Tensor? audioSeqlens = null,
        Tensor? secondPerGrids = null) =>
        GetRopeIndex(Qwen25OmniRopeIndexConfig.From(config), inputIds, imageGridThw, videoGridThw,
            attentionMask, useAudioInVideo, audioSeqlens, secondPerGrids);

    /// <summary>The same index with explicit ids (the talker runs it with its own config).</summary>
    public static (Tensor PositionIds, Tensor RopeDeltas) GetRopeIndex(
        Qwen25OmniRopeIndexConfig config,
        Tensor inputIds,
        Tensor? imageGridThw = null,
        Tensor? videoGridThw = null,
        Tensor? attentionMask = null,
        bool useAudioInVideo = false,
        Tensor? audioSeqlens = null,
        Tensor? secondPerGrids = null)
    {
        var (batch, length) = ((int)inputIds.shape[0], (int)inputIds.shape[1]);
        var ids = ToLongs(inputIds);
        var mask = attentionMask is null ? null : ToLongs(attentionMask);
        var (positions, deltas) = Compute(config, ids, batch, length,
            imageGridThw is null ? null : ToGrid(imageGridThw),
            videoGridThw is null ? null : ToGrid(videoGridThw),
            mask, useAudioInVideo,
            audioSeqlens is null ? null : ToLongs(audioSeqlens),
            secondPerGrids is null ? null : secondPerGrids.to_type(ScalarType.Float32).cpu().data<float>().ToArray());
        return (tensor(positions, [3, batch, length]), tensor(deltas, [batch, 1]));
    }

    /// <summary>Text-only decode positions: cacheLength + rope delta of each row, on all three axes ([3, B, L]).</summary>
    public static Tensor DecodePositions(Tensor ropeDeltas, long cacheLength, long length)
    {
        using var scope = NewDisposeScope();
        var steps = arange(cacheLength, cacheLength + length, ScalarType.Int64, ropeDeltas.device).view(1, length);
        var pos = steps + ropeDeltas.view(-1, 1);
        return pos.unsqueeze(0).expand(3, -1, -1).contiguous().MoveToOuterDisposeScope();
    }

    private static long[] ToLongs(Tensor t) => t.to_type(ScalarType.Int64).cpu().contiguous().data<long>().ToArray();

    private static long[][] ToGrid(Tensor t)
    {
        var flat = ToLongs(t);
        return Enumerable.Range(0, (int)t.shape[0]).Select(i => flat.AsSpan(i * 3, 3).ToArray()).ToArray();
    }

    /// <summary>
    /// Audio tokens for a mel length: two stride-2 stages of the audio encoder, as the reference
    /// computes ((n - 1) // 2 + 1 - 2) // 2 + 1.
    /// </summary>
    public static long AudioTokenCount(long melFrames) => FloorDiv(FloorDiv(melFrames - 1, 2) + 1 - 2, 2) + 1;

    private static long FloorDiv(long a, long b) => (long)Math.Floor((double)a / b);

    private static (long[] Positions, long[] Deltas) Compute(
        Qwen25OmniRopeIndexConfig config, long[] allIds, int batch, int length,
        long[][]? imageGrid, long[][]? videoGrid, long[]? mask, bool useAudioInVideo,
        long[]? audioSeqlens, float[]? secondPerGrids)
    {
        var positions = new long[3 * batch * length];
        var deltas = new long[batch];

        if (imageGrid is null && videoGrid is null)
        {
            // Text branch (also taken for audio-only prompts): cumsum of the mask - 1, padding = 1.
            for (var b = 0; b < batch; b++)
            {
                long running = 0, max = long.MinValue, valid = 0;
                for (var i = 0; i < length; i++)
                {
                    var on = mask is null || mask[b * length + i] != 0;
                    running += on ? 1 : 0;
                    valid += on ? 1 : 0;
                    var p = on ? running - 1 : 1;
                    max = Math.Max(max, p);
                    for (var axis = 0; axis < 3; axis++)
                    {
                        positions[(axis * batch + b) * length + i] = p;
                    }
                }
                deltas[b] = max + 1 - valid;
            }
            return (positions, deltas);
        }

        Array.Fill(positions, 1L);
        var merge = config.SpatialMergeSize;
        var pips = (float)config.PositionIdPerSeconds;
        int imageIdx = 0, videoIdx = 0, audioIdx = 0;

        for (var b = 0; b < batch; b++)
        {
            var kept = Enumerable.Range(0, length).Where(i => mask is null || mask[b * length + i] != 0).ToArray();
            var tokens = kept.Select(i => allIds[b * length + i]).ToList();

            var visionTokens = tokens.Select((t, i) => (t, i))
                .Where(x => x.t == config.VisionStartTokenId && x.i + 1 < tokens.Count)
                .Select(x => tokens[x.i + 1]).ToList();
            var audioNums = tokens.Count(t => t == config.AudioStartTokenId);
            var imageNums = visionTokens.Count(t => t == config.ImageTokenId);
            var videoNums = useAudioInVideo
                ? visionTokens.Count(t => t == config.AudioStartTokenId)
                : visionTokens.Count(t => t == config.VideoTokenId);
            var multimodal = useAudioInVideo ? imageNums + audioNums : imageNums + videoNums + audioNums;
            int remainImages = imageNums, remainVideos = videoNums, remainAudios = audioNums;

            var segments = new List<long[][]>();
            long NextStart() => segments.Count == 0 ? 0 : segments[^1].Max(row => row.Length == 0 ? long.MinValue : row.Max()) + 1;
            void AddRange(long count, long start) => segments.Add(Linear(count, start));

            var st = 0;
            for (var n = 0; n < multimodal; n++)
            {
                var edImage = remainImages > 0 ? IndexOf(tokens, config.ImageTokenId, st) : tokens.Count + 1;
                var edVideo = remainVideos > 0 ? IndexOf(tokens, config.VideoTokenId, st) : tokens.Count + 1;
                var edAudio = remainAudios > 0 ? IndexOf(tokens, config.AudioTokenId, st) : tokens.Count + 1;
                var minEd = Math.Min(edImage, Math.Min(edVideo, edAudio));

                if (minEd == edAudio)
                {
                    var textLen = minEd - st - 1;
                    if (textLen != 0)
                    {
                        AddRange(textLen, NextStart());
                    }
                    AddRange(1, NextStart());
                    var audioLen = AudioTokenCount(Require(audioSeqlens, "audio_seqlens")[audioIdx]);
                    AddRange(audioLen, NextStart());
                    AddRange(1, NextStart());
                    st += (int)(textLen + 1 + audioLen + 1);
                    audioIdx++;
                    remainAudios--;
                }
                else if (minEd == edImage)
                {
                    var grid = Require(imageGrid, "image_grid_thw");
                    var textLen = minEd - st - 1;
                    if (textLen != 0)
                    {
                        AddRange(textLen, NextStart());
                    }
                    AddRange(1, NextStart());
                    var tIndex = Enumerable.Range(0, (int)grid[imageIdx][0]).Select(t => (long)((float)t * pips)).ToArray();
                    segments.Add(VisionPositions(NextStart(), grid[imageIdx], merge, tIndex));
                    var imageLen = grid[imageIdx][0] * grid[imageIdx][1] * grid[imageIdx][2] / (merge * merge);
                    AddRange(1, NextStart());
                    st += (int)(textLen + 1 + imageLen + 1);
                    imageIdx++;
                    remainImages--;
                }
                else if (minEd == edVideo && !useAudioInVideo)
                {
                    var grid = Require(videoGrid, "video_grid_thw");
                    var textLen = minEd - st - 1;
                    if (textLen != 0)
                    {
                        AddRange(textLen, NextStart());
                    }
                    AddRange(1, NextStart());
                    var tIndex = VideoTimeIndex(grid[videoIdx][0], Require(secondPerGrids, "second_per_grids")[videoIdx], pips);
                    segments.Add(VisionPositions(NextStart(), grid[videoIdx], merge, tIndex));
                    var videoLen = grid[videoIdx][0] * grid[videoIdx][1] * grid[videoIdx][2] / (merge * merge);
                    AddRange(1, NextStart());
                    st += (int)(textLen + 1 + videoLen + 1);
                    videoIdx++;
                    remainVideos--;
                }
                else if (minEd == edVideo && useAudioInVideo)
                {
                    var grid = Require(videoGrid, "video_grid_thw");
                    var textLen = minEd - st - 2;
                    if (textLen != 0)
                    {
                        AddRange(textLen, NextStart());
                    }
                    // vision_bos and audio_bos share one position.
                    var bos = NextStart();
                    AddRange(1, bos);
                    AddRange(1, bos);
                    var start = NextStart();
                    var audioLen = AudioTokenCount(Require(audioSeqlens, "audio_seqlens")[audioIdx]);
                    var audioPos = Linear(audioLen, start);
                    var tIndex = VideoTimeIndex(grid[videoIdx][0], Require(secondPerGrids, "second_per_grids")[videoIdx], pips);
                    var videoPos = VisionPositions(start, grid[videoIdx], merge, tIndex);
                    var perChunk = (long)(config.PositionIdPerSeconds * config.SecondsPerChunk);
                    var videoChunks = ChunkedIndex(videoPos[0], perChunk, start);
                    var audioChunks = ChunkedIndex(audioPos[0], perChunk, start);
                    for (var j = 0; j < Math.Max(videoChunks.Count, audioChunks.Count); j++)
                    {
                        if (j < videoChunks.Count)
                        {
                            segments.Add(Slice(videoPos, videoChunks[j].Start, videoChunks[j].End));
                        }
                        if (j < audioChunks.Count)
                        {
                            segments.Add(Slice(audioPos, audioChunks[j].Start, audioChunks[j].End));
                        }
                    }
                    var videoLen = grid[videoIdx][0] * grid[videoIdx][1] * grid[videoIdx][2] / (merge * merge);
                    // vision_eos and audio_eos share one position, taken from the last chunk appended.
                    var eos = NextStart();
                    AddRange(1, eos);
                    AddRange(1, eos);
                    st += (int)(textLen + 2 + audioLen + videoLen + 2);
                    audioIdx++;
                    videoIdx++;
                    remainVideos--;
                    remainAudios--;
                }
            }

            if (st < tokens.Count)
            {
                AddRange(tokens.Count - st, NextStart());
            }

            var total = segments.Sum(s => s[0].Length);
            if (total != tokens.Count)
            {
                throw new ArgumentException($"row {b}: {total} positions for {tokens.Count} tokens; do the grids and audio lengths match the placeholders?");
            }
            long maxPos = long.MinValue;
            var col = 0;
            foreach (var seg in segments)
            {
                for (var i = 0; i < seg[0].Length; i++, col++)
                {
                    for (var axis = 0; axis < 3; axis++)
                    {
                        var p = seg[axis][i];
                        positions[(axis * batch + b) * length + kept[col]] = p;
                        maxPos = Math.Max(maxPos, p);
                    }
                }
            }
            deltas[b] = maxPos + 1 - tokens.Count;
        }
        return (positions, deltas);
    }

    private static T Require<T>(T? value, string name) where T : class =>
        value ?? throw new ArgumentException($"the prompt needs {name}");

    private static int IndexOf(List<long> tokens, long id, int from)
    {
        var i = tokens.IndexOf(id, Math.Min(from, tokens.Count));
        return i < 0 ? tokens.Count + 1 : i;
    }

    /// <summary>int(t * second_per_grid * position_id_per_seconds), evaluated in float32 like the reference.</summary>
    private static long[] VideoTimeIndex(long gridT, float secondPerGrid, float pips) =>
        Enumerable.Range(0, (int)gridT).Select(t => (long)((float)((float)t * secondPerGrid) * pips)).ToArray();

    private static long[][] Linear(long count, long start)
    {
        var row = new long[count];
        for (var i = 0; i < count; i++)
        {
            row[i] = start + i;
        }
        return [row, (long[])row.Clone(), (long[])row.Clone()];
    }

    /// <summary>get_llm_pos_ids_for_vision: (t, h, w) per merged patch, raster order within each frame group.</summary>
    private static long[][] VisionPositions(long start, long[] gridThw, long merge, long[] tIndex)
    {
        var h = gridThw[1] / merge;
        var w = gridThw[2] / merge;
        var n = tIndex.Length * h * w;
        var result = new[] { new long[n], new long[n], new long[n] };
        var k = 0;
        foreach (var t in tIndex)
        {
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++, k++)
                {
                    result[0][k] = t + start;
                    result[1][k] = y + start;
                    result[2][k] = x + start;
                }
            }
        }
        return result;
    }

    /// <summary>
    /// get_chunked_index: splits a non-decreasing index row where (value - removeIndex) reaches the
    /// next multiple of tokensPerChunk; at most one boundary per element, as in the reference.
    /// </summary>
    private static List<(int Start, int End)> ChunkedIndex(long[] indices, long tokensPerChunk, long removeIndex)
    {
        var result = new List<(int, int)>();
        int start = 0;
        long chunk = 1;
        for (var i = 0; i < indices.Length; i++)
        {
            if (indices[i] - removeIndex >= chunk * tokensPerChunk)
            {
                result.Add((start, i));
                start = i;
                chunk++;
            }
        }
        result.Add((start, indices.Length));
        return result;
    }

    private static long[][] Slice(long[][] rows, int start, int end) =>
        rows.Select(r => r[start..end]).ToArray();
}
