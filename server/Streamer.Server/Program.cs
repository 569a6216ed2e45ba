using Streamer.Server.Apis;
using Streamer.Server.Auth;
using Streamer.Server.Chat;
using Streamer.Server.Client;
using Streamer.Server.Health;
using Streamer.Server.Rtsp;
using Streamer.Server.Hosting;
using Streamer.Server.Models;
using Streamer.Server.Sessions;
using Streamer.Server.Speech;
using Streamer.Server.Telemetry;
using Streamer.Server.Voice;
using Streamer.Server.WebRtc;

var builder = WebApplication.CreateBuilder(args);

builder.AddStreamerDefaults();
builder.AddStreamerAuth();
builder.AddStreamerHealth();
builder.AddStreamerMetrics();
builder.AddStreamerSessions();
builder.AddStreamerWebRtc();
builder.AddStreamerRtsp();
builder.AddStreamerModels();
builder.AddStreamerSpeech();
builder.AddStreamerChat();
builder.AddStreamerVoice();
builder.AddStreamerOpenApi();
builder.AddStreamerClient();

var app = builder.Build();

app.UseStreamerErrors();
app.UseAuthentication();
app.UseAuthorization();

app.MapHealthApi();
app.MapMetricsApi();
app.MapSessionsApi();
app.MapWhipApi();
app.MapSourcesApi();
app.MapLimitsApi();
app.MapSpeechApi();
app.MapChatHub();
app.MapStreamerOpenApi();
app.MapClientApp();

app.MarkReadyOnStart();
app.Run();

public partial class Program;
