namespace Streamer.Server.Models;

/// <summary>
/// Random models draw their weights from libtorch's one global generator. Seeding it and building
/// a model happen under this lock, so two models made at once (two servers in one process, the
/// thinker and the speech models) each get exactly the weights their seed gives.
/// </summary>
internal static class RandomWeights
{
    public static readonly Lock Gate = new();
}
