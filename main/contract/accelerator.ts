/**
 * Keyboard shortcuts in Electron's accelerator syntax, checked the same way wherever a setting arrives (the app's
 * IPC and the demo's bridge share this), so "Banana" or a shortcut used twice is refused with a reason before the
 * shell ever tries to register it.
 *
 * The grammar is Electron's (https://www.electronjs.org/docs/latest/api/accelerator): modifiers joined by `+`,
 * then one key code; names are case-insensitive. The spelling is made canonical (`alt+shift+up` →
 * `Alt+Shift+Up`) so that two spellings of one shortcut are seen as the same.
 */
import { shorten } from './host';

const MODIFIERS: Record<string, string> = {
  command: 'Command',
  cmd: 'Command',
  control: 'Control',
  ctrl: 'Control',
  commandorcontrol: 'CommandOrControl',
  cmdorctrl: 'CommandOrControl',
  alt: 'Alt',
  option: 'Option',
  altgr: 'AltGr',
  shift: 'Shift',
  super: 'Super',
  meta: 'Meta',
};

/** Keys that may stand alone: pressing them never types anything into another app. */
const STANDALONE = [
  ...Array.from({ length: 24 }, (_, i) => `F${i + 1}`),
  'VolumeUp',
  'VolumeDown',
  'VolumeMute',
  'MediaNextTrack',
  'MediaPreviousTrack',
  'MediaStop',
  'MediaPlayPause',
  'PrintScreen',
];
const NAMED = [
  'Plus',
  'Space',
  'Tab',
  'Capslock',
  'Numlock',
  'Scrolllock',
  'Backspace',
  'Delete',
  'Insert',
  'Return',
  'Enter',
  'Up',
  'Down',
  'Left',
  'Right',
  'Home',
  'End',
  'PageUp',
  'PageDown',
  'Escape',
  'Esc',
  ...['num0', 'num1', 'num2', 'num3', 'num4', 'num5', 'num6', 'num7', 'num8', 'num9'],
  ...['numdec', 'numadd', 'numsub', 'nummult', 'numdiv'],
];
const KEYS = new Map<string, string>(
  [...STANDALONE, ...NAMED].map((name) => [name.toLowerCase(), name] as [string, string]),
);
/** Single characters Electron accepts as key codes (`+` is the separator: it is spelled `Plus`). */
const PUNCTUATION = new Set(')!@#$%^&*(:;=<,_->.?/~`{][|\\}"\''.split(''));

/** The app's own media-key hotkeys (Play/Pause, Next, Previous) hold these: a volume shortcut may not. */
export const MEDIA_KEYS: Record<string, string> = {
  MediaPlayPause: 'Play/Pause',
  MediaNextTrack: 'Next track',
  MediaPreviousTrack: 'Previous track',
};

export type AcceleratorCheck = { ok: true; accelerator: string } | { ok: false; message: string };

const EXAMPLE = 'Use keys joined with +, such as Alt+Shift+Up.';

export function checkAccelerator(input: string): AcceleratorCheck {
  const text = input.trim();
  const quoted = `“${shorten(text, 40)}”`;
  if (text === '') return { ok: false, message: `Enter a shortcut. ${EXAMPLE}` };
  if (text.length > 100) return { ok: false, message: `That shortcut is too long. ${EXAMPLE}` };
  const parts = text.split('+').map((part) => part.trim());
  if (parts.some((part) => part === '')) {
    return {
      ok: false,
      message: `${quoted} has an empty key between two +. Write the plus key as Plus, such as Alt+Plus.`,
    };
  }
  const modifiers: string[] = [];
  let key: string | null = null;
  for (const part of parts) {
    const modifier = MODIFIERS[part.toLowerCase()];
    if (modifier) {
      if (key !== null)
        return { ok: false, message: `In ${quoted} the key comes last, after ${modifier} and the others.` };
      if (modifiers.includes(modifier)) return { ok: false, message: `${quoted} names ${modifier} twice.` };
      modifiers.push(modifier);
      continue;
    }
    const name = keyName(part);
    if (name === null) return { ok: false, message: `“${shorten(part, 40)}” is not a key. ${EXAMPLE}` };
    if (key !== null) {
      return {
        ok: false,
        message: `${quoted} has two keys (${key} and ${name}); a shortcut has one key with Ctrl, Alt, Shift or others.`,
      };
    }
    key = name;
  }
  if (key === null) {
    return { ok: false, message: `${quoted} has no key, only modifiers. ${EXAMPLE}` };
  }
  const standalone = STANDALONE.includes(key);
  const onlyShift = modifiers.length === 1 && modifiers[0] === 'Shift';
  if (!standalone && (modifiers.length === 0 || onlyShift)) {
    return {
      ok: false,
      message: `${[...modifiers, key].join('+')} would take that key away from every other app. Add Ctrl, Alt or another modifier, such as Alt+Shift+${key}.`,
    };
  }
  return { ok: true, accelerator: [...modifiers, key].join('+') };
}

function keyName(part: string): string | null {
  if (/^[a-z0-9]$/i.test(part)) return part.toUpperCase();
  if (part.length === 1) return PUNCTUATION.has(part) ? part : null;
  return KEYS.get(part.toLowerCase()) ?? null;
}

/** Why a pair of volume shortcuts cannot be used together, or null when they can. */
export function checkHotkeyPair(hotkeys: {
  volumeUp: string | null;
  volumeDown: string | null;
}): string | null {
  const { volumeUp, volumeDown } = hotkeys;
  for (const [label, accelerator] of [
    ['Volume up', volumeUp],
    ['Volume down', volumeDown],
  ] as const) {
    const taken = accelerator ? MEDIA_KEYS[accelerator] : undefined;
    if (taken) return `${accelerator} is the ${taken} media key already; choose another key for ${label}.`;
  }
  if (volumeUp !== null && volumeDown !== null && volumeUp.toLowerCase() === volumeDown.toLowerCase())
    return `Volume up and Volume down cannot both be ${volumeUp}: choose two different shortcuts.`;
  return null;
}
