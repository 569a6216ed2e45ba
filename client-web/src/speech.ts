import { toServerError } from './problem';

/** GET /api/speech: whether answers are spoken, and in which voices. */
export interface SpeechInfo {
  /** "loading", "ready", "off (...)" or "unavailable: reason; answers are text only". */
  readonly status: string;
  readonly speakers: readonly string[];
  readonly defaultSpeaker: string | null;
}

/** Pushed by the hub (SpeechEnded) when the speech of an answer of a joined session ends. */
export interface SpeechEndedEvent {
  readonly sessionId: string;
  /** The answer's metadata.speechId. */
  readonly speechId: number;
  /** "spoken" (with the limit when one stopped it), "interrupted" or "failed: reason". */
  readonly speech: string;
  readonly speaker: string;
  readonly audioSeconds: number;
  readonly firstAudioMs: number | null;
}

export async function fetchSpeech(token: string): Promise<SpeechInfo> {
  const response = await fetch('/api/speech', { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw await toServerError(response, 'Reading the speech status');
  return (await response.json()) as SpeechInfo;
}
