namespace Streamer.Media.Interceptors;

/// <summary>
/// The list of interceptor factories a server configures once; each connection builds its
/// own chain (interceptors hold per-connection state).
/// </summary>
public sealed class InterceptorRegistry
{
    private readonly List<Func<InterceptorContext, Interceptor>> factories = [];

    public int Count => factories.Count;

    public void Add(Func<InterceptorContext, Interceptor> factory) => factories.Add(factory);

    public InterceptorChain Build(InterceptorContext context) => new(factories.Select(f => f(context)));
}
