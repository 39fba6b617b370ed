/**
 * The CLI's rooms-and-music commands: join, leave, favorites, favorite, playlists, playlist, shuffle, repeat,
 * crossfade, seek, night, dialog, pause-all and resume-all. Names are resolved in the household first and the core
 * refuses what the source or the speaker does not allow, so a refusal the app can know in advance is one line and
 * a non-zero exit with nothing sent. `pause-all` remembers what it paused in the CLI's data folder, so a later
 * `resume-all` (another process) restarts just those groups.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as v from 'valibot';
import type { Group, HouseholdSnapshot, Player, RepeatMode } from '../contract/model';
import type { Controller } from '../core/controller';
import { AppError } from '../core/errors';
import { formatClock } from '../core/intents/playback-intents';
import { findGroup, findTarget } from './targets';
import { EXIT, UsageError } from './usage-error';

export interface MusicContext {
  controller: Controller;
  io: { stdout(text: string): void; stderr(text: string): void };
  json: boolean;
  dataDir: string;
  /** Starts the core and resolves with a full picture of the household. */
  ready(): Promise<HouseholdSnapshot>;
}

export const MUSIC_COMMANDS = new Set([
  'join',
  'leave',
  'favorites',
  'favorite',
  'playlists',
  'playlist',
  'shuffle',
  'repeat',
  'crossfade',
  'seek',
  'night',
  'dialog',
  'pause-all',
  'resume-all',
]);

export const MUSIC_USAGE = `  join <speaker> <group-or-speaker>  move a speaker into the group that holds the second
  leave <speaker>                  take a speaker out of its group
  favorites | playlists            the household's Sonos favorites or playlists (--json)
  favorite <group> <name>          play a favorite on a group (name case-insensitive)
  playlist <group> <name>          play a Sonos playlist on a group
  shuffle <group> on|off | repeat <group> off|all|one | crossfade <group> on|off
  seek <group> <m:ss|h:mm:ss|+N|-N>  go to a position (N in seconds)
  night <speaker> on|off | dialog <speaker> on|off   night sound, speech enhancement (home theater)
  pause-all | resume-all           pause every group; resume only what pause-all paused`;

const PAUSED_FILE = 'paused-all.json';
const PausedSchema = v.object({ playerIds: v.array(v.string()), at: v.number() });

export async function runMusicCommand(
  command: string,
  args: string[],
  context: MusicContext,
): Promise<number> {
  const { controller, io, json } = context;
  const say = (line: string, value: unknown): void => io.stdout(json ? JSON.stringify(value) : line);
  switch (command) {
    case 'join': {
      expect(args, 2, 'join <speaker> <group-or-speaker>');
      const snapshot = await context.ready();
      const speaker = findSpeaker(snapshot, args[0]!);
      const target = findGroup(snapshot, args[1]!);
      const { changed } = await controller.rooms.join(speaker.id, target.id);
      const group = groupOf(controller.snapshot(), speaker.id) ?? target;
      say(changed ? `${speaker.name} joined ${group.name}` : `${speaker.name} is already in ${group.name}`, {
        speaker: ref(speaker),
        group: { ...ref(group), playerIds: group.playerIds },
        changed,
      });
      return EXIT.ok;
    }
    case 'leave': {
      expect(args, 1, 'leave <speaker>');
      const speaker = findSpeaker(await context.ready(), args[0]!);
      const { changed } = await controller.rooms.leave(speaker.id);
      say(`${speaker.name} ${changed ? 'now plays' : 'already plays'} on its own`, {
        speaker: ref(speaker),
        changed,
      });
      return EXIT.ok;
    }
    case 'favorites':
    case 'playlists': {
      expect(args, 0, command);
      const householdId = onlyHousehold(await context.ready());
      const list =
        command === 'favorites'
          ? await controller.music.favorites(householdId)
          : await controller.music.playlists(householdId);
      if (json) io.stdout(JSON.stringify(list));
      else if (list.items.length === 0) io.stdout(`No ${command} in this household.`);
      else
        for (const item of list.items)
          io.stdout(
            'service' in item
              ? `${item.name}${item.service ? `  (${item.service})` : ''}`
              : playlistLine(item),
          );
      return EXIT.ok;
    }
    case 'favorite':
    case 'playlist': {
      if (args.length < 2) throw new UsageError(`usage: ${command} <group> <${command} name>`);
      const snapshot = await context.ready();
      const group = findGroup(snapshot, args[0]!);
      const name = args.slice(1).join(' ');
      if (command === 'favorite') {
        const item = pick((await controller.music.favorites(group.householdId)).items, name, 'favorite');
        await controller.music.playFavorite(group.id, item.id);
        say(`${group.name}: playing ${item.name}`, { group: ref(group), favorite: item });
      } else {
        const item = pick((await controller.music.playlists(group.householdId)).items, name, 'playlist');
        await controller.music.playPlaylist(group.id, item.id);
        say(`${group.name}: playing ${item.name}`, { group: ref(group), playlist: item });
      }
      return EXIT.ok;
    }
    case 'shuffle':
    case 'crossfade':
    case 'repeat': {
      expect(args, 2, command === 'repeat' ? 'repeat <group> off|all|one' : `${command} <group> on|off`);
      const value = command === 'repeat' ? repeatMode(args[1]!) : onOff(args[1]!, command);
      const group = findGroup(await context.ready(), args[0]!);
      await controller.transport.setPlayModes(group.id, { [command]: value });
      const text = typeof value === 'boolean' ? (value ? 'on' : 'off') : value;
      say(`${group.name}: ${command} ${text}`, { group: ref(group), [command]: value });
      return EXIT.ok;
    }
    case 'seek': {
      expect(args, 2, 'seek <group> <m:ss|h:mm:ss|+N|-N>');
      const position = parseSeek(args[1]!);
      const group = findGroup(await context.ready(), args[0]!);
      if (position.kind === 'to') await controller.transport.seek(group.id, position.ms);
      else await controller.transport.seekBy(group.id, position.ms);
      const at = controller.model.positionNow(controller.model.resolveGroupId(group.id));
      const duration = group.nowPlaying?.durationMs ?? null;
      const where =
        at === null
          ? 'moved'
          : `at ${formatClock(at)}${duration !== null ? ` of ${formatClock(duration)}` : ''}`;
      say(`${group.name}: ${where}`, { group: ref(group), positionMs: at, durationMs: duration });
      return EXIT.ok;
    }
    case 'night':
    case 'dialog': {
      expect(args, 2, `${command} <speaker> on|off`);
      const on = onOff(args[1]!, command);
      const speaker = findSpeaker(await context.ready(), args[0]!);
      await controller.homeTheater.set(
        speaker.id,
        command === 'night' ? { nightMode: on } : { enhanceDialog: on },
      );
      const what = command === 'night' ? 'night sound' : 'speech enhancement';
      say(`${speaker.name}: ${what} ${on ? 'on' : 'off'}`, { speaker: ref(speaker), [command]: on });
      return EXIT.ok;
    }
    case 'pause-all':
      expect(args, 0, 'pause-all');
      return pauseAll(context);
    default:
      expect(args, 0, 'resume-all');
      return resumeAll(context);
  }
}

async function pauseAll(context: MusicContext): Promise<number> {
  const { controller, io, json } = context;
  const before = await context.ready();
  const { paused, failed } = await controller.transport.pauseAll();
  if (paused.length > 0) {
    const file = join(context.dataDir, PAUSED_FILE);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ playerIds: paused, at: Date.now() }), { mode: 0o600 });
  }
  const names = paused.map((id) => groupOf(before, id)?.name ?? id);
  if (json)
    io.stdout(
      JSON.stringify({
        paused: names,
        failed: failed.map((f) => ({ group: f.name, error: f.error.toPayload() })),
      }),
    );
  else {
    io.stdout(paused.length > 0 ? `Paused ${names.join(', ')}` : 'Nothing was playing.');
    for (const f of failed) io.stderr(`${f.name}: ${f.error.message}`);
  }
  return failed.length > 0 ? EXIT.failed : EXIT.ok;
}

async function resumeAll(context: MusicContext): Promise<number> {
  const { controller, io, json } = context;
  const file = join(context.dataDir, PAUSED_FILE);
  const saved = readPaused(file);
  if (!saved)
    throw new AppError(
      'not-found',
      'Nothing to resume: pause-all has not paused anything (or it was resumed).',
    );
  const snapshot = await context.ready();
  const { resumed } = await controller.transport.resumeAll(saved.playerIds);
  rmSync(file, { force: true });
  const names = resumed.map((id) => snapshot.groups[id]?.name ?? id);
  if (json) io.stdout(JSON.stringify({ resumed: names }));
  else
    io.stdout(
      resumed.length > 0 ? `Resumed ${names.join(', ')}` : 'Nothing paused by pause-all is still paused.',
    );
  return EXIT.ok;
}

function readPaused(file: string): v.InferOutput<typeof PausedSchema> | null {
  if (!existsSync(file)) return null;
  try {
    const parsed = v.safeParse(PausedSchema, JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------

/** A speaker: by player id or name first (a speaker alone shares its name with its group), then a one-speaker group. */
export function findSpeaker(snapshot: HouseholdSnapshot, query: string): Player {
  const wanted = query.trim().toLowerCase();
  const players = Object.values(snapshot.players);
  const byId = players.find((p) => p.id.toLowerCase() === wanted);
  if (byId) return byId;
  const byName = players.filter(
    (p) => p.name.toLowerCase() === wanted || p.sonosName.toLowerCase() === wanted,
  );
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1)
    throw new AppError(
      'invalid-request',
      `“${query}” matches more than one speaker; use its id (see \`status --json\`).`,
    );
  const target = findTarget(snapshot, query);
  if (target.kind === 'player') return target.player;
  if (target.group.playerIds.length === 1) return snapshot.players[target.group.playerIds[0]!]!;
  throw new AppError('invalid-request', `“${query}” is a group of several speakers; name one speaker.`);
}

function groupOf(snapshot: HouseholdSnapshot, playerId: string): Group | undefined {
  return Object.values(snapshot.groups).find((g) => g.playerIds.includes(playerId));
}

function onlyHousehold(snapshot: HouseholdSnapshot): string {
  const ids = Object.keys(snapshot.households);
  if (ids.length === 0)
    throw new AppError('unreachable', 'No Sonos household was found.', { retryable: true });
  // Several households on one network are rare; the CLI lists the first (by id, so always the same one).
  return ids.sort()[0]!;
}

/** An item by name, case-insensitive; a name that is not there lists the ones that are. */
function pick<T extends { id: string; name: string }>(items: readonly T[], name: string, noun: string): T {
  const wanted = name.trim().toLowerCase();
  const found = items.filter((item) => item.name.toLowerCase() === wanted || item.id === name.trim());
  if (found.length === 1) return found[0]!;
  if (found.length > 1) throw new AppError('invalid-request', `More than one ${noun} is named “${name}”.`);
  const known = items.map((item) => item.name).slice(0, 20);
  throw new AppError(
    'not-found',
    `No ${noun} named “${name}”.${known.length ? ` Known: ${known.join(', ')}.` : ''}`,
  );
}

function playlistLine(item: { name: string; trackCount: number | null }): string {
  return item.trackCount === null ? item.name : `${item.name}  (${item.trackCount} tracks)`;
}

function ref(entity: { id: string; name: string }): { id: string; name: string } {
  return { id: entity.id, name: entity.name };
}

function expect(args: string[], count: number, usage: string): void {
  if (args.length !== count) throw new UsageError(`usage: ${usage}`);
}

function onOff(text: string, command: string): boolean {
  const value = text.toLowerCase();
  if (value !== 'on' && value !== 'off') throw new UsageError(`${command} takes on or off`);
  return value === 'on';
}

function repeatMode(text: string): RepeatMode {
  const value = text.toLowerCase();
  if (value !== 'off' && value !== 'all' && value !== 'one')
    throw new UsageError('repeat takes off, all or one');
  return value;
}

/** `m:ss` or `h:mm:ss` → a position; `+N` / `-N` (seconds) → a step. The CLI shields a leading minus as U+2212. */
export function parseSeek(text: string): { kind: 'to' | 'by'; ms: number } {
  const value = text.trim();
  const step = /^([+\-\u2212])(\d{1,6})$/.exec(value);
  if (step) return { kind: 'by', ms: Number(step[2]) * 1000 * (step[1] === '+' ? 1 : -1) };
  const clock = /^(?:(\d{1,2}):([0-5]\d)|(\d{1,3})):([0-5]\d)$/.exec(value);
  if (!clock)
    throw new UsageError(
      `seek takes m:ss, h:mm:ss, +N or -N (seconds), not “${value.replace('\u2212', '-')}”`,
    );
  const [, hours, minutesWithHours, minutes, seconds] = clock;
  const ms =
    hours !== undefined
      ? ((Number(hours) * 60 + Number(minutesWithHours)) * 60 + Number(seconds)) * 1000
      : (Number(minutes) * 60 + Number(seconds)) * 1000;
  return { kind: 'to', ms };
}
