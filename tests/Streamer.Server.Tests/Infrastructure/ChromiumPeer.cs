using Microsoft.Playwright;

namespace Streamer.Server.Tests.Infrastructure;

/// <summary>
/// Headless Debian Chromium driven by Playwright (never a downloaded browser), publishing
/// its fake camera, a y4m file, over WHIP.
/// </summary>
public sealed class ChromiumPeer : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly string _profile;

    private ChromiumPeer(IPlaywright playwright, IBrowser browser, IPage page, string profile)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        _profile = profile;
    }

    public IPage Page { get; }

    // Two seconds of a faint noise floor (about -60 dBFS); the same bytes every run, so one file serves all.
    private static readonly Lazy<string> QuietRoom = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), "streamer-quiet-room.wav");
        var written = $"{path}.{Environment.ProcessId}";
        Voice.OpusTestAudio.WriteWav(written, Voice.SpeechLikeSignal.WhiteNoise(2 * Voice.OpusTestAudio.Rate, 0.001, seed: 7), Voice.OpusTestAudio.Rate);
        File.Move(written, path, overwrite: true);
        return path;
    });

    /// <param name="fakeCameraY4m">What the fake camera shows (Chromium's test pattern when null).</param>
    /// <param name="fakeMicrophoneWav">
    /// What the fake microphone hears, looped; a quiet room when null. Chromium's own fake
    /// microphone beeps every second, and a steady tone is voiced sound to the server's voice
    /// detector: it would ask questions and barge into answers the test did not ask for.
    /// </param>
    public static async Task<ChromiumPeer> LaunchAsync(string? fakeCameraY4m, string? fakeMicrophoneWav = null)
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"Chromium is not installed at {ExecutablePath}; run ./scripts/bootstrap.sh.");
        var profile = Directory.CreateTempSubdirectory("streamer-chromium-").FullName;
        var args = new List<string>
        {
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            "--allow-loopback-in-peer-connection",
            // Received audio must play into WebAudio without a click on the page.
            "--autoplay-policy=no-user-gesture-required",
        };
        if (fakeCameraY4m is not null) args.Add($"--use-file-for-fake-video-capture={fakeCameraY4m}");
        args.Add($"--use-file-for-fake-audio-capture={fakeMicrophoneWav ?? QuietRoom.Value}");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = args,
        });
        var page = await browser.NewPageAsync();
        return new ChromiumPeer(playwright, browser, page, profile);
    }

    /// <summary>
    /// Opens a page of the server (same origin for fetch), publishes camera (and fake
    /// microphone) over WHIP preferring <paramref name="codec"/>, and returns the Location.
    /// <paramref name="candidatePortRewrite"/> replaces the server's candidate port in the
    /// answer, to route media through a relay. With <paramref name="receiveAudio"/> the audio
    /// transceiver is sendrecv and the page measures what the server sends (see <see cref="AudioProbeScript"/>).
    /// </summary>
    public async Task<string> PublishAsync(Uri server, string token, string codec, (int From, int To)? candidatePortRewrite = null, bool receiveAudio = false)
    {
        await Page.GotoAsync(new Uri(server, "/healthz").ToString());
        if (receiveAudio) await Page.EvaluateAsync(AudioProbeScript);
        return await Page.EvaluateAsync<string>(PublishScript, new
        {
            token,
            codec,
            rewriteFrom = candidatePortRewrite?.From ?? 0,
            rewriteTo = candidatePortRewrite?.To ?? 0,
            audioDirection = receiveAudio ? "sendrecv" : "sendonly",
        });
    }

    public Task<string> CloseAsync() => Page.EvaluateAsync<string>("async () => { window.__pc.close(); return 'closed'; }");

    private const string PublishScript = """
        async ({ token, codec, rewriteFrom, rewriteTo, audioDirection }) => {
          const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
          const pc = new RTCPeerConnection();
          const video = pc.addTransceiver(stream.getVideoTracks()[0], { direction: 'sendonly', streams: [stream] });
          pc.addTransceiver(stream.getAudioTracks()[0], { direction: audioDirection, streams: [stream] });
          if (window.__audioProbe) pc.ontrack = e => { if (e.track.kind === 'audio') window.__audioProbe.attach(e.track); };
          const wanted = RTCRtpSender.getCapabilities('video').codecs.filter(c =>
            c.mimeType.toLowerCase() === 'video/' + codec.toLowerCase() &&
            (codec !== 'H264' || (c.sdpFmtpLine || '').includes('packetization-mode=1')));
          if (wanted.length === 0) throw new Error('browser cannot send ' + codec);
          // Keep RTX, as an offer without preferences has it: Chromium resends NACKed packets over it.
          const rtx = RTCRtpSender.getCapabilities('video').codecs.filter(c => c.mimeType.toLowerCase() === 'video/rtx');
          video.setCodecPreferences(wanted.concat(rtx));
          await pc.setLocalDescription(await pc.createOffer());
          const response = await fetch('/whip', {
            method: 'POST',
            headers: { 'Content-Type': 'application/sdp', 'Authorization': 'Bearer ' + token },
            body: pc.localDescription.sdp,
          });
          const body = await response.text();
          if (response.status !== 201) throw new Error('WHIP answered ' + response.status + ': ' + body);
          let answer = body;
          if (rewriteFrom) answer = answer.replaceAll(' ' + rewriteFrom + ' typ host', ' ' + rewriteTo + ' typ host');
          await pc.setRemoteDescription({ type: 'answer', sdp: answer });
          window.__pc = pc;
          return response.headers.get('Location');
        }
        """;

    /// <summary>
    /// Plays the received audio track into a WebAudio analyser and watches it every 5 ms:
    /// RMS of the newest 10 ms against a threshold, when audio first became loud and was last
    /// loud after a mark, and the dominant frequency 300 ms into the loud part. Chromium only
    /// feeds a remote track to WebAudio while a media element plays it, hence the muted element.
    /// </summary>
    private const string AudioProbeScript = """
        () => {
          const probe = { threshold: 0.02, markAt: 0, firstLoud: null, lastLoud: null, dominantHz: null, rms: 0, analyser: null };
          probe.mark = () => {
            probe.markAt = performance.now();
            probe.firstLoud = null;
            probe.lastLoud = null;
            probe.dominantHz = null;
            return probe.markAt;
          };
          probe.attach = track => {
            const stream = new MediaStream([track]);
            const element = new Audio();
            element.muted = true;
            element.srcObject = stream;
            element.play().catch(() => {});
            const context = new AudioContext();
            context.resume();
            const analyser = context.createAnalyser();
            analyser.fftSize = 8192;
            analyser.smoothingTimeConstant = 0;
            context.createMediaStreamSource(stream).connect(analyser);
            probe.analyser = analyser;
            probe.sampleRate = context.sampleRate;
            const time = new Float32Array(analyser.fftSize);
            const spectrum = new Float32Array(analyser.frequencyBinCount);
            const span = Math.round(context.sampleRate / 100);
            setInterval(() => {
              analyser.getFloatTimeDomainData(time);
              let sum = 0;
              for (let i = time.length - span; i < time.length; i++) sum += time[i] * time[i];
              probe.rms = Math.sqrt(sum / span);
              const now = performance.now();
              if (probe.rms <= probe.threshold) return;
              if (probe.firstLoud === null) probe.firstLoud = now;
              probe.lastLoud = now;
              if (probe.dominantHz === null && now - probe.firstLoud > 300) {
                analyser.getFloatFrequencyData(spectrum);
                let best = 1;
                for (let i = 1; i < spectrum.length; i++) if (spectrum[i] > spectrum[best]) best = i;
                probe.dominantHz = best * context.sampleRate / analyser.fftSize;
              }
            }, 5);
          };
          window.__audioProbe = probe;
        }
        """;

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { }
    }
}
