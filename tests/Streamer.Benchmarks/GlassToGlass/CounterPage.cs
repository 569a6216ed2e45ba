using Microsoft.Playwright;

namespace Streamer.Benchmarks.GlassToGlass;

/// <summary>
/// The benchmark page: a canvas painting <see cref="FrameCounterPattern"/> at a fixed rate, each
/// paint stamped with <c>performance.timeOrigin + performance.now()</c>, its
/// <c>captureStream</c> track published over WHIP to the server or sent between two peer
/// connections inside the page (the browser's own receive path, read back with
/// <c>requestVideoFrameCallback</c>).
/// </summary>
public sealed class CounterPage(IPage page)
{
    /// <summary>Opens a page of the server (same origin for the WHIP fetch) and installs the canvas.</summary>
    public async Task OpenAsync(Uri server, int fps)
    {
        await page.GotoAsync(new Uri(server, "/healthz").ToString());
        await page.EvaluateAsync(InstallScript, FrameCounterPattern.ForScript(fps));
    }

    /// <summary>Clears the stamps of the previous phase and starts painting.</summary>
    public Task StartPaintingAsync() => page.EvaluateAsync("() => window.g2g.start()");

    public Task StopPaintingAsync() => page.EvaluateAsync("() => window.g2g.stop()");

    /// <summary>Publishes the canvas over WHIP preferring <paramref name="codec"/>, waits until connected, returns the Location.</summary>
    public Task<string> PublishAsync(string token, string codec) =>
        page.EvaluateAsync<string>("([token, codec]) => window.g2g.publish(token, codec)", new object[] { token, codec });

    /// <summary>Sends the canvas from one peer connection of the page to another, waits until connected and the video plays.</summary>
    public Task LoopbackAsync(string codec) =>
        page.EvaluateAsync("codec => window.g2g.loopback(codec)", codec);

    public Task CloseConnectionsAsync() => page.EvaluateAsync("() => window.g2g.close()");

    public Task<double> NowAsync() => page.EvaluateAsync<double>("() => window.g2g.now()");

    public async Task<IReadOnlyList<FrameStamp>> PaintsAsync() =>
        ToStamps(await page.EvaluateAsync<double[][]>("() => window.g2g.paints()"));

    /// <summary>The frames the in-page receiver read back, and how many it could not read.</summary>
    public async Task<(IReadOnlyList<FrameStamp> Arrivals, int Rejected)> LoopbackArrivalsAsync()
    {
        var arrivals = ToStamps(await page.EvaluateAsync<double[][]>("() => window.g2g.arrivals()"));
        var rejected = await page.EvaluateAsync<int>("() => window.g2g.rejected()");
        return (arrivals, rejected);
    }

    /// <summary>Counters of the sending peer connection (the one to the server, or the first of the pair).</summary>
    public async Task<SenderSnapshot> SenderAsync() =>
        SenderSnapshot.FromScript(await page.EvaluateAsync<double[]>("() => window.g2g.sender()"));

    public Task<string> LoopbackResolutionAsync() => page.EvaluateAsync<string>("() => window.g2g.resolution()");

    private static FrameStamp[] ToStamps(double[][] pairs) =>
        [.. pairs.Select(p => new FrameStamp((int)p[0], p[1]))];

    private const string InstallScript = """
        (layout) => {
          const { width, height, bits, block, margin, fps } = layout;
          const now = () => performance.timeOrigin + performance.now();
          const canvas = document.createElement('canvas');
          canvas.width = width;
          canvas.height = height;
          document.body.replaceChildren(canvas);
          const ctx = canvas.getContext('2d');
          const track = canvas.captureStream(fps).getVideoTracks()[0];
          const state = { counter: 0, timer: 0, paints: [], arrivals: [], rejected: 0, resolution: '', pcs: [] };

          const paint = () => {
            const c = state.counter = (state.counter + 1) % (1 << bits);
            ctx.fillStyle = '#808080';
            ctx.fillRect(0, 0, width, height);
            for (let i = 0; i < bits; i++) {
              const one = ((c >> (bits - 1 - i)) & 1) === 1;
              ctx.fillStyle = one ? '#ffffff' : '#000000';
              ctx.fillRect(i * block, 0, block, block);
              ctx.fillStyle = one ? '#000000' : '#ffffff';
              ctx.fillRect(i * block, block, block, block);
            }
            // Something moves below the counter, as in a camera picture.
            ctx.fillStyle = '#3060c0';
            ctx.fillRect((c * 8) % width, 3 * block, block, height - 3 * block);
            state.paints.push([c, now()]);
          };

          // Same reading as FrameCounterPattern.TryRead, on RGBA pixels of any size.
          const readCounter = (image) => {
            const bw = image.width * block / width, bh = image.height * block / height;
            const radius = Math.max(0, Math.floor(Math.min(bw, bh) / 8));
            const mean = (column, row) => {
              const cx = Math.floor((column + 0.5) * bw), cy = Math.floor((row + 0.5) * bh);
              let sum = 0, count = 0;
              for (let y = cy - radius; y <= cy + radius; y++) {
                for (let x = cx - radius; x <= cx + radius; x++) {
                  const i = (y * image.width + x) * 4;
                  sum += 0.299 * image.data[i] + 0.587 * image.data[i + 1] + 0.114 * image.data[i + 2];
                  count++;
                }
              }
              return sum / count;
            };
            let value = 0;
            for (let i = 0; i < bits; i++) {
              const data = mean(i, 0), guard = mean(i, 1);
              if (Math.abs(data - 128) < margin || Math.abs(guard - 128) < margin) return -1;
              if ((data > 128) === (guard > 128)) return -1;
              value = value * 2 + (data > 128 ? 1 : 0);
            }
            return value;
          };

          const prefer = (transceiver, codec) => {
            const wanted = RTCRtpSender.getCapabilities('video').codecs.filter(c =>
              c.mimeType.toLowerCase() === 'video/' + codec.toLowerCase() &&
              (codec !== 'H264' || (c.sdpFmtpLine || '').includes('packetization-mode=1')));
            if (wanted.length === 0) throw new Error('browser cannot send ' + codec);
            transceiver.setCodecPreferences(wanted);
          };

          const until = (target, event, done, what) => new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('timed out waiting for ' + what)), 15000);
            const check = () => {
              const result = done();
              if (result === undefined) return;
              clearTimeout(timer);
              target.removeEventListener(event, check);
              if (result instanceof Error) reject(result); else resolve();
            };
            target.addEventListener(event, check);
            check();
          });
          const connected = pc => until(pc, 'connectionstatechange', () =>
            pc.connectionState === 'connected' ? true : pc.connectionState === 'failed' ? new Error('connection failed') : undefined,
            'connection');
          const gathered = pc => until(pc, 'icegatheringstatechange', () => pc.iceGatheringState === 'complete' ? true : undefined, 'ICE gathering');

          window.g2g = {
            now,
            start() {
              state.paints = [];
              state.arrivals = [];
              state.rejected = 0;
              paint();
              state.timer = setInterval(paint, 1000 / fps);
            },
            stop() { clearInterval(state.timer); },
            paints: () => state.paints,
            arrivals: () => state.arrivals,
            rejected: () => state.rejected,
            resolution: () => state.resolution,
            async sender() {
              let out = null, pair = null;
              (await state.pcs[0].getStats()).forEach(r => {
                if (r.type === 'outbound-rtp' && r.kind === 'video') out = r;
                if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') pair = r;
              });
              if (!out) throw new Error('no outbound video statistics');
              return [now(), out.packetsSent || 0, out.totalPacketSendDelay || 0, out.bytesSent || 0, (pair && pair.availableOutgoingBitrate) || 0];
            },
            close() {
              for (const pc of state.pcs) pc.close();
              state.pcs = [];
              for (const video of document.querySelectorAll('video')) video.remove();
            },

            async publish(token, codec) {
              const pc = new RTCPeerConnection();
              state.pcs.push(pc);
              prefer(pc.addTransceiver(track, { direction: 'sendonly' }), codec);
              await pc.setLocalDescription(await pc.createOffer());
              const response = await fetch('/whip', {
                method: 'POST',
                headers: { 'Content-Type': 'application/sdp', 'Authorization': 'Bearer ' + token },
                body: pc.localDescription.sdp,
              });
              const body = await response.text();
              if (response.status !== 201) throw new Error('WHIP answered ' + response.status + ': ' + body);
              await pc.setRemoteDescription({ type: 'answer', sdp: body });
              await connected(pc);
              return response.headers.get('Location');
            },

            async loopback(codec) {
              const pc1 = new RTCPeerConnection(), pc2 = new RTCPeerConnection();
              state.pcs.push(pc1, pc2);
              prefer(pc1.addTransceiver(track, { direction: 'sendonly' }), codec);
              const video = document.createElement('video');
              video.muted = true;
              video.playsInline = true;
              document.body.appendChild(video);
              pc2.ontrack = e => { video.srcObject = new MediaStream([e.track]); };

              // Whole descriptions (no trickle): no candidate can reach a peer before its remote description.
              await pc1.setLocalDescription(await pc1.createOffer());
              await gathered(pc1);
              await pc2.setRemoteDescription(pc1.localDescription);
              await pc2.setLocalDescription(await pc2.createAnswer());
              await gathered(pc2);
              await pc1.setRemoteDescription(pc2.localDescription);
              await connected(pc1);

              const small = document.createElement('canvas');
              small.width = width / 4;
              small.height = height / 4;
              const sctx = small.getContext('2d', { willReadFrequently: true });
              const onFrame = () => {
                if (!state.pcs.includes(pc2)) return;
                const at = now();
                sctx.drawImage(video, 0, 0, small.width, small.height);
                const c = readCounter(sctx.getImageData(0, 0, small.width, small.height));
                if (c < 0) state.rejected++; else state.arrivals.push([c, at]);
                state.resolution = video.videoWidth + 'x' + video.videoHeight;
                video.requestVideoFrameCallback(onFrame);
              };
              video.requestVideoFrameCallback(onFrame);
              await video.play();
            },
          };
        }
        """;
}
