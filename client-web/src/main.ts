import './style.css';
import { AnswerAudio } from './answerAudio';
import { ChatClient } from './chat';
import { ChatPanel } from './chatPanel';
import { byId, formatBitrate } from './dom';
import { LatencyChart } from './latencyChart';
import { fetchLimits } from './limits';
import { MemoryPanel } from './memoryPanel';
import { SessionsPanel } from './sessionsPanel';
import { MicIndicator } from './micIndicator';
import { fetchSessionStats, intervalLatencies, type ReceiveStats, type SessionStats } from './serverStats';
import { SendStatsSampler } from './rtcStats';
import { fetchSpeech } from './speech';
import { SpeechStates } from './speechState';
import { forgetToken, loadToken, saveToken } from './token';
import { VoiceMessages } from './voice';
import { VoicePicker } from './voicePicker';
import { publish, unpublish, type Publication } from './whip';

const ui = {
  tokenForm: byId('token-form', HTMLFormElement),
  token: byId('token', HTMLInputElement),
  tokenForget: byId('token-forget', HTMLButtonElement),
  status: byId('status', HTMLParagraphElement),
  preview: byId('preview', HTMLVideoElement),
  withAudio: byId('with-audio', HTMLInputElement),
  cameraStart: byId('camera-start', HTMLButtonElement),
  publish: byId('publish', HTMLButtonElement),
  stop: byId('stop', HTMLButtonElement),
  sessionId: byId('session-id', HTMLElement),
  sessionState: byId('session-state', HTMLSpanElement),
  bitrate: byId('stat-bitrate', HTMLElement),
  fps: byId('stat-fps', HTMLElement),
  rtt: byId('stat-rtt', HTMLElement),
  loss: byId('stat-loss', HTMLElement),
  resolution: byId('stat-resolution', HTMLElement),
  serverCodec: byId('server-codec', HTMLElement),
  serverFps: byId('server-fps', HTMLElement),
  serverFrames: byId('server-frames', HTMLElement),
  serverBitrate: byId('server-bitrate', HTMLElement),
  serverDropped: byId('server-dropped', HTMLElement),
  serverLoss: byId('server-loss', HTMLElement),
  serverNacks: byId('server-nacks', HTMLElement),
  serverJitterDrops: byId('server-jitter-drops', HTMLElement),
  serverJitter: byId('server-jitter', HTMLElement),
};

const speech = new SpeechStates();
const chart = new LatencyChart(byId('latency-chart', HTMLCanvasElement), byId('latency-legend', HTMLUListElement));
const chat = new ChatPanel(
  byId('ask-form', HTMLFormElement),
  byId('question', HTMLInputElement),
  byId('ask', HTMLButtonElement),
  byId('interrupt', HTMLButtonElement),
  byId('messages', HTMLOListElement),
  byId('chat-session', HTMLElement),
  speech,
);
const answerAudio = new AnswerAudio(byId('answer-audio', HTMLAudioElement), byId('speaker', HTMLButtonElement));
const voices = new VoicePicker(byId('voice', HTMLSelectElement), byId('speech-status', HTMLElement), message => chat.showError(message));
const memory = new MemoryPanel(
  byId('memory-panel', HTMLElement),
  byId('memory-tiers', HTMLTableSectionElement),
  byId('memory-frames', HTMLElement),
  byId('memory-blocks', HTMLElement),
);
const sessions = new SessionsPanel(
  byId('sessions', HTMLUListElement),
  byId('sessions-empty', HTMLElement),
  byId('follow-form', HTMLFormElement),
  byId('follow-id', HTMLInputElement),
  byId('sessions-refresh', HTMLButtonElement),
  () => currentToken(),
  sessionId => void follow(sessionId),
  message => say(message, true),
);

const voice = new VoiceMessages(byId('messages', HTMLOListElement), speech);
const mic = new MicIndicator(byId('mic', HTMLElement), byId('mic-level', HTMLElement));

const statsIntervalMs = 1000;
// The speech models load after the thinker; until then the voices are not known.
const speechRetryMs = 2000;

let camera: MediaStream | null = null;
let publication: Publication | null = null;
let chatClient: ChatClient | null = null;
let statsTimer: number | undefined;

function say(message: string, isError = false): void {
  ui.status.textContent = message;
  ui.status.classList.toggle('error', isError);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function currentToken(): string | null {
  const token = ui.token.value.trim();
  return token.length > 0 ? token : null;
}

function setSessionState(state: string): void {
  ui.sessionState.textContent = state;
  ui.sessionState.className = `pill ${state}`;
}

function updateButtons(busy = false): void {
  ui.cameraStart.disabled = busy || camera !== null;
  ui.publish.disabled = busy || publication !== null || currentToken() === null;
  ui.stop.disabled = busy || publication === null;
  ui.withAudio.disabled = camera !== null;
}

async function startCamera(): Promise<MediaStream> {
  if (camera) return camera;
  camera = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: ui.withAudio.checked });
  ui.preview.srcObject = camera;
  mic.follow(camera);
  return camera;
}

async function startPublishing(): Promise<void> {
  const token = currentToken();
  if (!token) {
    say('Enter a token first.', true);
    return;
  }
  saveToken(token);
  updateButtons(true);
  try {
    say('Starting the camera…');
    const stream = await startCamera();
    say('Publishing over WHIP…');
    publication = await publish(stream, token);
    answerAudio.play(publication.remoteAudio);
    ui.sessionId.textContent = publication.sessionId;
    setSessionState('connecting');
    publication.pc.addEventListener('connectionstatechange', onConnectionState);
    say(`Publishing: session ${publication.sessionId}.`);
    chart.clear();
    startStats(publication, token);
    await connectChat(token, publication.sessionId);
    void sessions.refresh();
  } catch (error) {
    say(describe(error), true);
  } finally {
    updateButtons();
  }
}

/** Takes the question box's limit from the server's configuration. */
async function applyLimits(token: string): Promise<void> {
  try {
    chat.setMaxQuestionChars((await fetchLimits(token)).maxQuestionChars);
  } catch {
    // A refused token is reported by the sessions panel; the server still refuses an oversize question.
  }
  void loadSpeech(token);
}

let speechTimer: number | undefined;

/** Fills the voice picker from GET /api/speech, asking again while the speech models load. */
async function loadSpeech(token: string): Promise<void> {
  window.clearTimeout(speechTimer);
  try {
    const info = await fetchSpeech(token);
    voices.show(info);
    if (info.status === 'loading') speechTimer = window.setTimeout(() => void loadSpeech(token), speechRetryMs);
  } catch {
    // A refused token is reported by the sessions panel; answers then stay text only here.
  }
}

async function connectChat(token: string, sessionId: string): Promise<void> {
  void applyLimits(token);
  const previous = chatClient;
  chatClient = new ChatClient(token);
  void previous?.stop();
  memory.clear();
  speech.leave();
  chatClient.onVoice(voice);
  chatClient.onSpeechEnded(event => {
    if (event.sessionId === sessionId) speech.ended(event);
  });
  chatClient.onSessionEvent(event => {
    if (event.sessionId !== sessionId) return;
    memory.show(event);
    if (event.type === 'streamStarted') say(`Session ${sessionId}: the stream started.`);
    if (event.type === 'streamStopped') say(`Session ${sessionId}: the stream stopped.`);
  });
  chat.attach(chatClient, sessionId);
  voices.attach(chatClient, sessionId);
  try {
    memory.show(await chatClient.join(sessionId));
  } catch (error) {
    // The stream keeps going without chat; asking reports its own errors.
    const reason = ChatClient.describe(error);
    say(`Session ${sessionId}: chat is not available: ${reason}`, true);
    chat.showError(`Could not follow session ${sessionId}: ${reason}`);
  }
}

/** Points the chat and the memory panel at another of the token's sessions. */
async function follow(sessionId: string): Promise<void> {
  const token = currentToken();
  if (!token) {
    say('Enter a token first.', true);
    return;
  }
  saveToken(token);
  await connectChat(token, sessionId);
}

function onConnectionState(this: RTCPeerConnection): void {
  if (this.connectionState === 'failed') {
    setSessionState('failed');
    say('The connection to the server failed.', true);
  }
}

async function stopPublishing(): Promise<void> {
  const token = currentToken() ?? loadToken();
  const ending = publication;
  if (!ending || !token) return;
  updateButtons(true);
  stopStats();
  chat.attach(null, null);
  voices.attach(null, null);
  speech.leave();
  const client = chatClient;
  chatClient = null;
  try {
    await client?.stop();
    await unpublish(ending, token);
    say('Stopped: the session has ended.');
  } catch (error) {
    say(describe(error), true);
  } finally {
    publication = null;
    answerAudio.play(null);
    setSessionState('ended');
    updateButtons();
  }
}

function startStats(current: Publication, token: string): void {
  const sampler = new SendStatsSampler(current.pc);
  let previous: SessionStats | null = null;
  const tick = async (): Promise<void> => {
    const send = await sampler.sample();
    ui.bitrate.textContent = formatBitrate(send.bitrateKbps);
    ui.fps.textContent = send.fps.toFixed(1);
    ui.rtt.textContent = send.rttMs === null ? '—' : `${send.rttMs.toFixed(1)} ms`;
    ui.loss.textContent = send.lossPercent === null ? '—' : `${send.lossPercent.toFixed(2)} %`;
    ui.resolution.textContent = send.frameWidth && send.frameHeight ? `${send.frameWidth}×${send.frameHeight}` : '—';
    try {
      const stats = await fetchSessionStats(current.sessionId, token);
      showServerStats(stats);
      chart.push(intervalLatencies(previous, stats));
      previous = stats;
    } catch (error) {
      say(describe(error), true);
    }
  };
  statsTimer = window.setInterval(() => void tick(), statsIntervalMs);
}

function stopStats(): void {
  window.clearInterval(statsTimer);
  statsTimer = undefined;
}

function showServerStats(stats: SessionStats): void {
  setSessionState(stats.state);
  ui.serverCodec.textContent = stats.video.codec ?? '—';
  ui.serverFps.textContent = stats.video.fps.toFixed(1);
  ui.serverFrames.textContent = String(stats.video.framesDecoded);
  ui.serverBitrate.textContent = formatBitrate(stats.video.bitrateKbps);
  ui.serverDropped.textContent = String(stats.stages.reduce((sum, s) => sum + s.dropped, 0));
  showReceiveStats(stats.receive ?? null);
}

/** The server's side of the link, next to the browser's own loss figure; a figure the source does not count stays a dash. */
function showReceiveStats(receive: ReceiveStats | null): void {
  const lost = receive?.packetsLost;
  ui.serverLoss.textContent = lost === undefined || receive === null ? '—'
    : `${lost} (${((100 * Math.max(0, lost)) / Math.max(1, receive.packetsReceived + Math.max(0, lost))).toFixed(2)} %)`;
  ui.serverNacks.textContent = receive?.nacksSent === undefined ? '—'
    : `${receive.nacksSent} / ${receive.retransmissionsRecovered ?? 0}`;
  ui.serverJitterDrops.textContent = receive?.framesDropped === undefined ? '—' : String(receive.framesDropped);
  ui.serverJitter.textContent = receive?.jitterMs === undefined ? '—' : `${receive.jitterMs.toFixed(1)} ms`;
}

ui.tokenForm.addEventListener('submit', event => {
  event.preventDefault();
  const token = currentToken();
  if (token) {
    saveToken(token);
    say('Token kept for this tab.');
    void sessions.refresh();
    void applyLimits(token);
  }
  updateButtons();
});
ui.tokenForget.addEventListener('click', () => {
  forgetToken();
  ui.token.value = '';
  say('Token forgotten.');
  updateButtons();
});
ui.token.addEventListener('input', () => updateButtons());
ui.cameraStart.addEventListener('click', () => {
  startCamera()
    .then(() => say('Camera on.'))
    .catch(error => say(`Camera: ${describe(error)}`, true))
    .finally(() => updateButtons());
});
ui.publish.addEventListener('click', () => void startPublishing());
ui.stop.addEventListener('click', () => void stopPublishing());
window.addEventListener('pagehide', () => {
  // Best effort: end the session when the tab goes away instead of waiting for consent to expire.
  const token = currentToken();
  if (publication && token) void fetch(publication.location, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` }, keepalive: true });
});

ui.token.value = loadToken() ?? '';
updateButtons();
if (ui.token.value) void applyLimits(ui.token.value);
say(ui.token.value ? 'Token restored for this tab.' : 'Enter your API token (printed in the server log when none is configured).');
