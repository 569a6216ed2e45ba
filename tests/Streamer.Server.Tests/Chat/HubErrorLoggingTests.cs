using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Streamer.Server.Chat;
using Streamer.Server.Tests.Infrastructure;

namespace Streamer.Server.Tests.Chat;

/// <summary>
/// The server with its embedded logging defaults and a provider that records what reaches it:
/// refusals are one Information line, real failures in a hub method are still errors.
/// </summary>
[Trait("Category", "Chat")]
public sealed class HubErrorLoggingTests : IAsyncLifetime
{
    private const string Unknown = "0123456789abcdef01234567";
    private readonly LogRecorder _logs = new();
    private WebApplicationFactory<Program> _factory = null!;
    private Uri _address = null!;

    public Task InitializeAsync()
    {
        var port = KestrelStreamer.FreeTcpPort();
        _factory = new StreamerFactory()
            .With("Logging:LogLevel:Default", "Information")
            .WithWebHostBuilder(b => b.ConfigureServices(services =>
            {
                services.AddSingleton<ILoggerProvider>(_logs);
                // Registered after the server's own filter, so it runs inside it like a failing hub method.
                services.Configure<HubOptions>(o => o.AddFilter(new FailureInjection()));
            }));
        _factory.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        _factory.StartServer();
        _address = new Uri($"http://127.0.0.1:{port}/hubs/chat");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Refusals_are_logged_as_one_information_line_and_never_as_errors()
    {
        await using var connection = await ConnectAsync();

        var join = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<SessionEvent>("Join", Unknown));
        var interrupt = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<int>("Interrupt", Unknown));
        var ask = await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in connection.StreamAsync<AnswerChunk>("Ask", Unknown, "Anything?")) { }
        });

        // The caller still gets the reason.
        Assert.All([join, interrupt, ask], ex => Assert.Contains($"No session '{Unknown}' for this token.", ex.Message));
        var entries = _logs.Entries.ToList();
        Assert.DoesNotContain(entries, e => e.Level >= LogLevel.Error);
        Assert.DoesNotContain(entries, e => e.Category.StartsWith(HubErrorLogging.DispatcherCategory, StringComparison.Ordinal));
        var refusals = entries.Where(e => e.Category == typeof(HubErrorLogging).FullName).ToList();
        Assert.Equal(["Join", "Interrupt"], refusals.Select(e => e.Message.Split(' ')[2]));
        Assert.All(refusals, e =>
        {
            Assert.Equal(LogLevel.Information, e.Level);
            Assert.Null(e.Exception);
            Assert.Contains($"No session '{Unknown}' for this token.", e.Message);
        });
    }

    [Fact]
    public async Task A_real_failure_in_a_hub_method_is_still_logged_as_an_error_with_its_exception()
    {
        await using var connection = await ConnectAsync();

        var failure = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("Leave", FailureInjection.Trigger));

        // The caller learns only that something went wrong; the log has the exception.
        Assert.DoesNotContain("injected", failure.Message);
        var error = Assert.Single(_logs.Entries, e => e.Level >= LogLevel.Error);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Equal(typeof(HubErrorLogging).FullName, error.Category);
        Assert.Contains("Leave", error.Message);
        Assert.Equal("injected failure", Assert.IsType<InvalidOperationException>(error.Exception).Message);
    }

    private async Task<HubConnection> ConnectAsync()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(_address, o => o.AccessTokenProvider = () => Task.FromResult<string?>(StreamerFactory.TokenA))
            .Build();
        await connection.StartAsync();
        return connection;
    }

    /// <summary>Throws a plain exception for one argument value, as a hub method with a bug would.</summary>
    private sealed class FailureInjection : IHubFilter
    {
        public const string Trigger = "inject-a-failure";

        public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next) =>
            invocationContext.HubMethodArguments.Count > 0 && Equals(invocationContext.HubMethodArguments[0], Trigger)
                ? throw new InvalidOperationException("injected failure")
                : next(invocationContext);
    }

    private sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception);

    /// <summary>Keeps every entry the logging configuration lets through.</summary>
    private sealed class LogRecorder : ILoggerProvider
    {
        public ConcurrentQueue<LogEntry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception));
        }
    }
}
