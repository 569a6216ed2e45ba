using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Streamer.Server.Auth;

namespace Streamer.Server.Chat;

/// <summary>
/// <c>/hubs/chat</c>: ask a live session about what it has seen. A token reaches only its own
/// sessions; another token's session is reported exactly like a missing one.
/// </summary>
[Authorize]
public sealed class ChatHub(AnswerService answers, SessionEventBroadcaster events, Speech.SpeechService speech) : Hub<IChatClient>
{
    public static string GroupName(string sessionId) => "session:" + sessionId;

    private string Owner => Context.User!.GetOwner();

    /// <summary>Streams the answer as it is generated; the last chunk has done=true and the metadata.</summary>
    public async IAsyncEnumerable<AnswerChunk> Ask(string sessionId, string question, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var job = answers.Submit(Owner, sessionId, question, cancellationToken);
        var finished = false;
        try
        {
            await foreach (var chunk in job.Chunks.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                finished = chunk.Done;
                yield return chunk;
            }
        }
        finally
        {
            // A client that stopped reading frees the model at once.
            if (!finished) job.Interrupt();
        }
    }

    /// <summary>Stops the session's answers within one token; returns how many were stopped.</summary>
    public int Interrupt(string sessionId) => answers.Interrupt(Owner, sessionId);

    /// <summary>Chooses the voice of the session's spoken answers; an unknown one fails listing the voices.</summary>
    public string SetSpeaker(string sessionId, string name) => speech.SetSpeaker(answers.FindSession(Owner, sessionId), name);

    /// <summary>Follows the session's events; the first one (stats) comes back at once.</summary>
    public async Task<SessionEvent> Join(string sessionId)
    {
        var session = answers.FindSession(Owner, sessionId);
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupName(session.Id)).ConfigureAwait(false);
        return events.Describe(session, SessionEvent.Stats);
    }

    public async Task Leave(string sessionId)
    {
        var session = answers.FindSession(Owner, sessionId);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupName(session.Id)).ConfigureAwait(false);
    }
}
