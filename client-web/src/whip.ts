import { toServerError } from './problem';

/** A published stream: the peer connection and the WHIP resource that ends it. */
export interface Publication {
  readonly pc: RTCPeerConnection;
  /** The WHIP resource (Location), e.g. `/whip/3f2a...`; DELETE on it ends the session. */
  readonly location: string;
  /** The session id: the last segment of the Location. */
  readonly sessionId: string;
  /** What the server sends back on the audio transceiver (spoken answers); null when it answered without sending audio. */
  readonly remoteAudio: MediaStream | null;
}

/**
 * Publishes `stream` over WHIP (RFC 9725). The server is ICE-lite and puts its candidate in
 * the answer, so the whole offer/answer is one POST with no trickle ICE.
 */
export async function publish(stream: MediaStream, token: string): Promise<Publication> {
  const pc = new RTCPeerConnection();
  try {
    // Audio is sendrecv: the microphone carries spoken questions, the server speaks answers back on it.
    for (const track of stream.getTracks()) {
      pc.addTransceiver(track, { direction: track.kind === 'audio' ? 'sendrecv' : 'sendonly', streams: [stream] });
    }
    // The track events fire while the answer is applied: one for the audio the server sends, none when it only receives.
    const remoteAudio = new MediaStream();
    pc.addEventListener('track', event => {
      if (event.track.kind === 'audio') remoteAudio.addTrack(event.track);
    });
    await pc.setLocalDescription(await pc.createOffer());
    const response = await fetch('/whip', {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${token}` },
      body: pc.localDescription?.sdp ?? '',
    });
    if (response.status !== 201) throw await toServerError(response, 'Publish');
    const location = response.headers.get('Location');
    if (!location) throw new Error('Publish failed: the server answered without a Location.');
    await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
    const sessionId = location.split('/').filter(Boolean).pop() ?? '';
    return { pc, location, sessionId, remoteAudio: remoteAudio.getAudioTracks().length > 0 ? remoteAudio : null };
  } catch (error) {
    pc.close();
    throw error;
  }
}

/** Ends the session on the server (DELETE on the WHIP resource) and closes the peer connection. */
export async function unpublish(publication: Publication, token: string): Promise<void> {
  try {
    const response = await fetch(publication.location, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    // 404: the session already ended on the server (peer timeout, another tab); nothing left to stop.
    if (!response.ok && response.status !== 404) throw await toServerError(response, 'Stop');
  } finally {
    publication.pc.close();
  }
}
