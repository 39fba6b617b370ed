/** Hardware profiles and room names for simulated players, with the field values real players report. */

export const ROOM_NAMES = [
  'Living Room',
  'Kitchen',
  'Bedroom',
  'Office',
  'Dining Room',
  'Bathroom',
  'Patio',
  'Garage',
] as const;

export function roomName(index: number): string {
  return ROOM_NAMES[index] ?? `Room ${index + 1}`;
}

export interface DeviceProfile {
  model: string;
  modelDisplayName: string;
  color: string;
  hwVersion: string;
  capabilities: string[];
  features: string[];
}

// Values as real players of these models report them (see test/fixtures/captures/local/rest.groups.json).
const PROFILES: readonly DeviceProfile[] = [
  {
    model: 'S13',
    modelDisplayName: 'One',
    color: 'White',
    hwVersion: '1.21.1.8-2.1',
    capabilities: ['PLAYBACK', 'CLOUD', 'AIRPLAY', 'AUDIO_CLIP', 'VOICE'],
    features: ['WIFI', 'ETHERNET', 'BLE', 'LED_STATUS', 'CAPTOUCH_ABC', 'WIFI_2GHZ', 'WIFI_5GHZ'],
  },
  {
    model: 'S17',
    modelDisplayName: 'Move',
    color: 'Lunar White',
    hwVersion: '1.25.1.8-2.10',
    capabilities: ['PLAYBACK', 'CLOUD', 'AIRPLAY', 'AUDIO_CLIP', 'VOICE', 'SVC'],
    features: ['WIFI', 'BLE', 'BATTERY', 'LED_STATUS', 'CAPTOUCH_ABC', 'WIFI_2GHZ', 'WIFI_5GHZ'],
  },
  {
    model: 'S22',
    modelDisplayName: 'One SL',
    color: 'White',
    hwVersion: '1.28.1.6-2.1',
    capabilities: ['PLAYBACK', 'CLOUD', 'AIRPLAY', 'AUDIO_CLIP'],
    features: ['WIFI', 'ETHERNET', 'LED_STATUS', 'CAPTOUCH_ABC', 'WIFI_2GHZ', 'WIFI_5GHZ'],
  },
  {
    model: 'S16',
    modelDisplayName: 'Amp',
    color: 'Black',
    hwVersion: '1.24.1.12-2.2',
    capabilities: [
      'PLAYBACK',
      'CLOUD',
      'HT_PLAYBACK',
      'HT_POWER_STATE',
      'AIRPLAY',
      'LINE_IN',
      'AUDIO_CLIP',
      'SPEAKER_DETECTION',
      'HDMI',
      'IR_CONTROL',
    ],
    features: ['SUB_OUT', 'HDMI_ARC', 'RCA_LINE_IN', 'SPEAKER_OUT', 'IR_SENSOR', 'WIFI', 'ETHERNET'],
  },
];

export function deviceProfile(index: number): DeviceProfile {
  const profile = PROFILES[index % PROFILES.length];
  if (profile === undefined) throw new Error('no device profiles');
  return profile;
}

export const SOFTWARE_VERSION = '96.1-79270';
export const API_VERSION = '1.53.1';
export const MIN_API_VERSION = '1.1.0';
