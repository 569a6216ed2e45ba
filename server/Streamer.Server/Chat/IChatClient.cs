namespace Streamer.Server.Chat;

/// <summary>What the chat hub calls on its clients.</summary>
public interface IChatClient
{
    /// <summary>An event of a session the client joined.</summary>
    Task SessionEvent(SessionEvent sessionEvent);

    /// <summary>A spoken question of a joined session was cut (and asked, unless it carries an error).</summary>
    Task VoiceQuestion(Voice.VoiceQuestionEvent voiceQuestion);

    /// <summary>A piece of the answer to a spoken question of a joined session.</summary>
    Task VoiceAnswer(Voice.VoiceAnswerChunk chunk);

    /// <summary>A spoken answer of a joined session has been synthesized to its end, or stopped.</summary>
    Task SpeechEnded(Speech.SpeechEndedEvent speechEnded);
}
