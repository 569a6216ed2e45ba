import * as signalR from '@microsoft/signalr';
import type { VoiceAnswerChunk, VoiceQuestionEvent } from './voice';

/** One chunk of a streamed answer, as the hub's Ask yields it. */
export interface AnswerChunk {
  readonly text: string | null;
  readonly done: boolean;
  /** Media times (seconds since the session started) of the frames the answer drew on. */
  readonly frameTimes: readonly number[] | null;
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
 * The chat hub at /hubs/chat: server-streaming Ask(sessionId, question), Interrupt(sessionId)
 * and Join(sessionId). The bearer token travels as the access token (WebSockets cannot carry
 * an Authorization header).
 */
export class ChatClient {
  private readonly connection: signalR.HubConnection;

  constructor(token: string) {
    this.connection = new signalR.HubConnectionBuilder()
      .withUrl('/hubs/chat', { accessTokenFactory: () => token })
      .withAutomaticReconnect()
      .configureLogging(signalR.LogLevel.Warning)
      .build();
  }

  get connected(): boolean {
    return this.connection.state === signalR.HubConnectionState.Connected;
  }

  async ensureConnected(): Promise<void> {
    if (this.connection.state === signalR.HubConnectionState.Disconnected) await this.connection.start();
  }

  /** Follows the session's events; the hub refuses a session this token does not own. */
  async join(sessionId: string): Promise<void> {
    await this.ensureConnected();
    await this.connection.invoke('Join', sessionId);
  }

  /** A short reason for a failed hub call: the HTTP status of a refused connection, else the hub's message. */
  static describe(error: unknown): string {
    if (error instanceof signalR.HttpError) return `the chat hub answered ${error.statusCode}`;
    const message = error instanceof Error ? error.message : String(error);
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
