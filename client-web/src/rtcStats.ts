/** What the browser measures about its own sending, from RTCPeerConnection.getStats(). */
export interface SendStats {
  /** Video and audio payload sent, kbit/s over the last interval. */
  readonly bitrateKbps: number;
  /** Video frames sent per second (the encoder's own figure when it has one). */
  readonly fps: number;
  /** Round-trip time in ms (RTCP from the server, else the ICE consent checks); null when unknown. */
  readonly rttMs: number | null;
  /** Packets lost as the server reported them, percent; null when no receiver report arrived. */
  readonly lossPercent: number | null;
  readonly frameWidth: number | null;
  readonly frameHeight: number | null;
}

interface Previous {
  readonly timestamp: number;
  readonly bytes: number;
  readonly frames: number;
}

// Stats dictionaries are loosely typed in lib.dom; read the fields we use by name.
type Report = Record<string, unknown> & { type: string; timestamp: number };

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** Turns successive getStats() reports into rates; one per peer connection. */
export class SendStatsSampler {
  private previous: Previous | null = null;

  constructor(private readonly pc: RTCPeerConnection) {}

  async sample(): Promise<SendStats> {
    const reports: Report[] = [];
    (await this.pc.getStats()).forEach((r: Report) => reports.push(r));

    let bytes = 0;
    let frames = 0;
    let encoderFps: number | null = null;
    let frameWidth: number | null = null;
    let frameHeight: number | null = null;
    let timestamp = 0;
    for (const r of reports.filter(r => r.type === 'outbound-rtp')) {
      bytes += num(r['bytesSent']) ?? 0;
      timestamp = Math.max(timestamp, r.timestamp);
      if (r['kind'] === 'video') {
        frames += num(r['framesSent']) ?? num(r['framesEncoded']) ?? 0;
        encoderFps = num(r['framesPerSecond']) ?? encoderFps;
        frameWidth = num(r['frameWidth']) ?? frameWidth;
        frameHeight = num(r['frameHeight']) ?? frameHeight;
      }
    }

    let bitrateKbps = 0;
    let fps = encoderFps ?? 0;
    const previous = this.previous;
    if (previous && timestamp > previous.timestamp) {
      const seconds = (timestamp - previous.timestamp) / 1000;
      bitrateKbps = ((bytes - previous.bytes) * 8) / 1000 / seconds;
      if (encoderFps === null) fps = (frames - previous.frames) / seconds;
    }
    this.previous = { timestamp, bytes, frames };

    return { bitrateKbps, fps, rttMs: roundTrip(reports), lossPercent: loss(reports), frameWidth, frameHeight };
  }
}

function roundTrip(reports: Report[]): number | null {
  const remote = reports.filter(r => r.type === 'remote-inbound-rtp').map(r => num(r['roundTripTime'])).find(v => v !== null);
  if (remote != null) return remote * 1000;
  const pair = reports.find(r => r.type === 'candidate-pair' && r['nominated'] === true && r['state'] === 'succeeded');
  const current = pair ? num(pair['currentRoundTripTime']) : null;
  return current === null ? null : current * 1000;
}

function loss(reports: Report[]): number | null {
  const remote = reports.filter(r => r.type === 'remote-inbound-rtp');
  if (remote.length === 0) return null;
  let lost = 0;
  let sent = 0;
  for (const r of remote) {
    const ssrc = r['ssrc'];
    const outbound = reports.find(o => o.type === 'outbound-rtp' && o['ssrc'] === ssrc);
    lost += Math.max(0, num(r['packetsLost']) ?? 0);
    sent += num(outbound?.['packetsSent']) ?? 0;
  }
  return sent > 0 ? (100 * lost) / sent : null;
}
