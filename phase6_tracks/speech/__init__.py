"""Speech: STFT, mel, MFCC and Griffin-Lim written here vs librosa; CTC loss vs torch; a CTC
recogniser trained on espeak-ng speech, streamed over WebSocket; a small text-to-speech path;
voice activity detection and speaker diarization."""
