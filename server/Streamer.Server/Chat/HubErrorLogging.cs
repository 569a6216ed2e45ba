using Microsoft.AspNetCore.SignalR;

namespace Streamer.Server.Chat;

/// <summary>
/// Logs what hub methods throw, in place of SignalR's dispatcher, which logs every exception at
/// Error with its stack trace, the refusals the hub gives by design (unknown session, a limit
/// hit) included. A <see cref="HubException"/> is such a refusal and its message already went to
/// the caller: one line at Information. Anything else is a failure: Error with the exception.
/// </summary>
public sealed class HubErrorLogging(ILogger<HubErrorLogging> logger) : IHubFilter
{
    /// <summary>
    /// The dispatcher's log category. The embedded defaults let only Critical through for it: its
    /// one Error event is the failed invocation this filter logs in its place.
    /// </summary>
    public const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext).ConfigureAwait(false);
        }
        catch (HubException ex)
        {
            logger.LogInformation("Hub method {HubMethod} refused for connection {ConnectionId}: {Reason}",
                invocationContext.HubMethodName, invocationContext.Context.ConnectionId, ex.Message);
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Hub method {HubMethod} failed for connection {ConnectionId}",
                invocationContext.HubMethodName, invocationContext.Context.ConnectionId);
            throw;
        }
    }
}
