import { toServerError } from './problem';

/** The server's configured limits, as GET /api/limits reports them. */
export interface Limits {
  readonly maxQuestionChars: number;
  readonly maxNewTokens: number;
  readonly maxConcurrentAsksPerSession: number;
  readonly maxSessionsPerToken: number;
  readonly maxSessions: number;
  /** Frames per second into memory for published (WebRTC) sessions. */
  readonly sampleFps: number;
  readonly rtspDefaultSampleFps: number;
  readonly rtspMaxSampleFps: number;
  readonly maxSdpBytes: number;
  readonly eventIntervalSeconds: number;
}

export async function fetchLimits(token: string): Promise<Limits> {
  const response = await fetch('/api/limits', { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw await toServerError(response, 'Reading the limits');
  return (await response.json()) as Limits;
}
