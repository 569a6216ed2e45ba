import * as signalR from '@microsoft/signalr';
import type { SpeechEndedEvent } from './speech';
import type { VoiceAnswerChunk, VoiceQuestionEvent } from './voice';

/** One chunk of a streamed answer, as the hub's Ask yields it. */
export interface AnswerChunk {
  readonly text: string | null;
  readonly done: boolean;
  /** Media times (seconds since the session started) of the frames the answer drew on. */
  readonly frameTimes: readonly number[] | null;
  /** On the final chunk: what answered and why it ended. */
  readonly metadata?: AnswerMetadata | null;
}

export interface AnswerMetadata {
  readonly model: string;
  /** True when no checkpoint is configured: the answer comes from random weights. */
  readonly randomModel: boolean;
  /** "stop", "length" or "interrupted". */
  readonly finishReason: string;
  readonly tokens: number;
  readonly maxTokens: number;
  readonly retrievedBlocks: number;
  readonly windowBlocks: number;
  readonly queueMs: number;
  readonly firstTokenMs: number;
  /** "speaking" while audio follows, else how it was spoken or why the answer is text only. */
  readonly speech?: string;
  /** Pairs a spoken answer with its SpeechEnded event; null when nothing was spoken. */
  readonly speechId?: number | null;
  readonly speaker?: string | null;
  readonly audioSeconds?: number;
  readonly firstAudioMs?: number | null;
}

/** One tier of the session's video memory as the hub's session events report it. */
export interface TierUsage {
  readonly name: string;
  readonly bytes: number;
  readonly maxBytes: number;
  readonly blocks: number;
}

/** A session's news: type "streamStarted", "streamStopped" or "stats". */
export interface SessionEvent {
  readonly type: string;
  readonly sessionId: string;
  readonly state: string;
  readonly fps: number;
  readonly bitrateKbps: number;
  readonly framesDecoded: number;
  readonly framesInMemory: number;
  readonly blocks: number;
  readonly framesDropped: number;
  readonly blocksDropped: number;
  readonly memoryError: string | null;
  readonly tiers: readonly TierUsage[];
}

export interface AnswerHandlers {
  chunk(chunk: AnswerChunk): void;
  complete(): void;
  error(error: Error): void;
}

/** A running answer; cancel() stops listening (the server stops generating too). */
export interface AnswerStream {
  cancel(): void;
}

/**
 * The chat hub at /hubs/chat: server-streaming Ask(sessionId, question), Interrupt(sessionId),
 * SetSpeaker(sessionId, name) and Join(sessionId). The bearer token travels as the access token (WebSockets cannot carry
 * an Authorization header).
 */
export class ChatClient {
  private readonly connection: signalR.HubConnection;
  private readonly speechEndedHandlers: ((event: SpeechEndedEvent) => void)[] = [];

  constructor(token: string) {
    this.connection = new signalR.HubConnectionBuilder()
      .withUrl('/hubs/chat', { accessTokenFactory: () => token })
      .withAutomaticReconnect()
      .configureLogging(signalR.LogLevel.Warning)
      .build();
    // Registered at once: the server pushes SpeechEnded to every joined connection, and a method without a handler is logged as a warning.
    this.connection.on('SpeechEnded', (event: SpeechEndedEvent) => {
      for (const handler of this.speechEndedHandlers) handler(event);
    });
  }

  /** Called when the speech of an answer of a joined session ends (spoken, interrupted or failed). */
  onSpeechEnded(handler: (event: SpeechEndedEvent) => void): void {
    this.speechEndedHandlers.push(handler);
  }

  /** Chooses the session's voice; an unknown one is refused with the list of voices. */
  async setSpeaker(sessionId: string, name: string): Promise<string> {
    await this.ensureConnected();
    return await this.connection.invoke<string>('SetSpeaker', sessionId, name);
  }

  get connected(): boolean {
    return this.connection.state === signalR.HubConnectionState.Connected;
  }

  async ensureConnected(): Promise<void> {
    if (this.connection.state === signalR.HubConnectionState.Disconnected) await this.connection.start();
  }

  /** Follows the session's events; the hub refuses a session this token does not own. */
  async join(sessionId: string): Promise<SessionEvent> {
    await this.ensureConnected();
    return await this.connection.invoke<SessionEvent>('Join', sessionId);
  }

  /** Called with every event of the sessions this connection joined. */
  onSessionEvent(handler: (event: SessionEvent) => void): void {
    this.connection.on('SessionEvent', handler);
  }

  /** A short reason for a failed hub call: the HTTP status of a refused connection, else the hub's message. */
  static describe(error: unknown): string {
    if (error instanceof signalR.HttpError) return `the chat hub answered ${error.statusCode}`;
    const message = error instanceof Error ? error.message : String(error);
    // The hub's own refusal ("No session ... for this token.") is what a person needs to read.
    const refusal = /HubException: ([\s\S]*)$/.exec(message)?.[1];
    if (refusal) return refusal;
    // A failed negotiation wraps the whole response body; its status code says enough.
    const status = /Status code '(\d+)'/.exec(message)?.[1];
    return status ? `the chat hub answered ${status}` : message;
  }

  async ask(sessionId: string, question: string, handlers: AnswerHandlers): Promise<AnswerStream> {
    await this.ensureConnected();
    const subscription = this.connection.stream<AnswerChunk>('Ask', sessionId, question).subscribe({
      next: chunk => handlers.chunk(chunk),
      complete: () => handlers.complete(),
      error: error => handlers.error(error instanceof Error ? error : new Error(String(error))),
    });
    return { cancel: () => subscription.dispose() };
  }

  /** Receives the spoken questions of joined sessions and their answers, pushed by the server. */
  onVoice(handlers: { question(event: VoiceQuestionEvent): void; chunk(chunk: VoiceAnswerChunk): void }): void {
    this.connection.on('VoiceQuestion', (event: VoiceQuestionEvent) => handlers.question(event));
    this.connection.on('VoiceAnswer', (chunk: VoiceAnswerChunk) => handlers.chunk(chunk));
  }

  /** Asks the server to stop the session's answer; the stream then ends with its final chunk. */
  async interrupt(sessionId: string): Promise<void> {
    await this.ensureConnected();
    await this.connection.invoke('Interrupt', sessionId);
  }

  async stop(): Promise<void> {
    await this.connection.stop();
  }
}
