// A short tone from WebAudio: no sound file to fetch, and it plays only after a user gesture has
// unlocked audio (browsers refuse autoplay), which the wall's "enable sound" click and the field
// app's first tap provide.
let context: AudioContext | null = null

export function enableSound(): boolean {
  context ??= new AudioContext()
  void context.resume()
  return context.state !== 'closed'
}

export function soundEnabled(): boolean {
  return context?.state === 'running'
}

/** Two or three rising beeps; `urgent` is louder and longer. */
export function beep(urgent = false): void {
  if (!context || context.state !== 'running') return
  const start = context.currentTime
  const notes = urgent ? [880, 1175, 1568] : [660, 880]
  notes.forEach((frequency, i) => {
    const oscillator = context!.createOscillator()
    const gain = context!.createGain()
    oscillator.type = 'sine'
    oscillator.frequency.value = frequency
    gain.gain.setValueAtTime(0.0001, start + i * 0.18)
    gain.gain.exponentialRampToValueAtTime(urgent ? 0.4 : 0.2, start + i * 0.18 + 0.02)
    gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.18 + 0.16)
    oscillator.connect(gain).connect(context!.destination)
    oscillator.start(start + i * 0.18)
    oscillator.stop(start + i * 0.18 + 0.17)
  })
}
