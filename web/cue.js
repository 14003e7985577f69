// The cue when a call arrives: a short two-tone chime (Web Audio, no file to load) and a flash of
// the call banner, with a mute the agent's browser remembers.
import { $ } from './dom.js';

const KEY = 'keyline.muted';
let audio;

export const isMuted = () => localStorage.getItem(KEY) === 'true';

/** Plays the chime unless muted, and flashes the banner; counts cues on `document.body`. */
export function callCue() {
  const body = document.body;
  body.dataset.cues = String(Number(body.dataset.cues ?? 0) + 1);
  document.querySelector('.call-banner')?.classList.add('arrived');
  if (isMuted()) return;
  body.dataset.chimes = String(Number(body.dataset.chimes ?? 0) + 1);
  try {
    audio ??= new AudioContext();
    for (const [i, freq] of [880, 660].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      const at = audio.currentTime + i * 0.18;
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.2, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.16);
      osc.connect(gain).connect(audio.destination);
      osc.start(at);
      osc.stop(at + 0.17);
    }
  } catch {
    // No audio device: the banner's flash and the screen-reader announcement remain.
  }
}

/** The header's mute toggle, labelled in the agent's language. */
export function renderMute(t) {
  const button = $('mute');
  button.textContent = isMuted() ? t.unmute : t.mute;
  button.setAttribute('aria-pressed', String(isMuted()));
}

export function toggleMute(t) {
  localStorage.setItem(KEY, String(!isMuted()));
  renderMute(t);
}
