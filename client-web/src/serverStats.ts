import { toServerError } from './problem';

/** One pipeline stage of a session as GET /api/sessions/{id}/stats reports it. */
export interface StageStats {
  readonly stage: string;
  readonly itemsIn: number;
  readonly itemsOut: number;
  readonly dropped: number;
  readonly queueDepth: number;
  /** Items whose processing time was measured, and the sum of those times. */
  readonly latencyCount: number;
  readonly latencyTotalMs: number;
  readonly lastLatencyMs: number;
}

/** One tier of the session's streaming memory (host, disk, redis). */
export interface MemoryTier {
  readonly tier: string;
  readonly blocks: number;
  readonly bytes: number;
  readonly maxBytes: number;
}

/** The session's streaming memory: blocks, frames in them, what was dropped, per-tier use. */
export interface MemoryStats {
  readonly blocks: number;
  readonly framesInMemory: number;
  readonly framesDropped: number;
  readonly blocksDropped: number;
  readonly error: string | null;
  readonly tiers: readonly MemoryTier[];
}

/**
 * What the server received from the source. A WebRTC peer fills every field; an RTSP camera
 * leaves out those its client does not count.
 */
export interface ReceiveStats {
  readonly packetsReceived: number;
  readonly bytesReceived: number;
  readonly bitrateKbps: number;
  /** Lost on the way, repaired by retransmission or not. */
  readonly packetsLost?: number;
  readonly nacksSent?: number;
  readonly retransmissionsReceived?: number;
  /** Retransmissions that filled a gap. */
  readonly retransmissionsRecovered?: number;
  /** Frames the jitter buffer gave up (WebRTC) or the source could not hand on (RTSP). */
  readonly framesDropped?: number;
  readonly keyframeRequestsSent?: number;
  readonly jitterMs?: number;
}

export interface SessionStats {
  readonly id: string;
  readonly state: string;
  readonly video: {
    readonly codec: string | null;
    readonly width: number;
    readonly height: number;
    readonly framesDecoded: number;
    readonly fps: number;
    readonly decodeErrors: number;
    /** Video received from the source, kbit/s over the last seconds. */
    readonly bitrateKbps: number;
  };
  readonly stages: readonly StageStats[];
  /** Null while the server keeps no streaming memory for the session. */
  readonly memory: MemoryStats | null;
  /** Null for a session whose source keeps no receive counters. */
  readonly receive?: ReceiveStats | null;
}

export async function fetchSessionStats(sessionId: string, token: string, signal?: AbortSignal): Promise<SessionStats> {
  const response = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/stats`, {
    headers: { Authorization: `Bearer ${token}` },
    ...(signal ? { signal } : {}),
  });
  if (!response.ok) throw await toServerError(response, 'Session stats');
  return (await response.json()) as SessionStats;
}

/**
 * Mean latency per stage over the interval between two reports (ms); a stage that handled
 * nothing in the interval is left out rather than shown as zero.
 */
export function intervalLatencies(previous: SessionStats | null, current: SessionStats): Map<string, number> {
  const result = new Map<string, number>();
  for (const stage of current.stages) {
    const before = previous?.stages.find(s => s.stage === stage.stage);
    const count = stage.latencyCount - (before?.latencyCount ?? 0);
    const total = stage.latencyTotalMs - (before?.latencyTotalMs ?? 0);
    if (count > 0) result.set(stage.stage, total / count);
  }
  return result;
}
