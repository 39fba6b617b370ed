/**
 * Speaker addresses as people type them: an IPv4 address, a bracketed IPv6 address or a host name (international
 * names such as `Küche.local` included), each with an optional `:port`. A refusal says what is wrong with the
 * address, in words, because the popover and the CLI show it as it is.
 *
 * Host names are checked in their ASCII (punycode) form, the form DNS and mDNS resolve, using the WHATWG URL
 * parser that both Node and the browser have (https://url.spec.whatwg.org/#concept-domain-to-ascii).
 */
import * as v from 'valibot';

/** RFC 1035 §2.3.4: at most 253 characters in the dotted form, 63 per label. */
const MAX_NAME = 253;
const MAX_LABEL = 63;
/** The longest address worth reading back to someone: longer ones are cut with an ellipsis. */
const ECHO = 60;

export type HostCheck = { ok: true; hostname: string; port: number | null } | { ok: false; message: string };

/** `text` cut for a message: a pasted paragraph is not repeated back whole. */
export function shorten(text: string, max = ECHO): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

const quoted = (text: string): string => `“${shorten(text)}”`;

/** Checks one typed address; `hostname` is the ASCII form to connect to (IPv6 without brackets). */
export function checkHost(input: string): HostCheck {
  const text = input.trim();
  if (text === '') return { ok: false, message: 'Enter an IP address or host name, such as 192.168.1.20.' };
  if (text.length > MAX_NAME + 8) {
    return {
      ok: false,
      message: `${quoted(text)} is not a valid address: it is too long to be an IP address or host name.`,
    };
  }
  let host = text;
  let port: number | null = null;
  const bracketed = /^\[([^\]]*)\](?::(\d*))?$/.exec(text);
  const withPort = bracketed ? null : /^(.*):(\d*)$/.exec(text);
  if (bracketed) {
    host = bracketed[1]!;
    if (bracketed[2] !== undefined) port = portOf(bracketed[2]);
  } else if (withPort && !withPort[1]!.includes(':')) {
    host = withPort[1]!;
    port = portOf(withPort[2]!);
  }
  if (port !== null && Number.isNaN(port)) {
    return {
      ok: false,
      message: `${quoted(text)} is not a valid address: the port must be a number from 1 to 65535.`,
    };
  }
  if (bracketed) {
    return isIpv6(host)
      ? { ok: true, hostname: host, port }
      : { ok: false, message: `${quoted(text)} is not a valid IP address.` };
  }
  if (host.includes(':')) {
    return isIpv6(host)
      ? {
          ok: false,
          message: `${quoted(text)} is not a valid address: an IPv6 address goes in brackets, such as [${shorten(host, 40)}].`,
        }
      : { ok: false, message: `${quoted(text)} is not a valid IP address or host name.` };
  }
  if (/^[\d.]+$/.test(host)) {
    const octets = host.split('.');
    const valid = octets.length === 4 && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
    return valid
      ? { ok: true, hostname: host, port }
      : {
          ok: false,
          message: `${quoted(host)} is not a valid IP address: it needs four numbers from 0 to 255, such as 192.168.1.20.`,
        };
  }
  const ascii = toAsciiName(host);
  if (ascii === null) {
    return { ok: false, message: `${quoted(text)} is not a valid IP address or host name.` };
  }
  if (ascii.length > MAX_NAME) {
    return {
      ok: false,
      message: `${quoted(text)} is not a valid host name: it is longer than 253 characters.`,
    };
  }
  return { ok: true, hostname: ascii, port };
}

function portOf(digits: string): number {
  const port = digits === '' ? NaN : Number(digits);
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? port : NaN;
}

function isIpv6(text: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return false;
  try {
    return new URL(`http://[${text}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

/** The ASCII form of a host name, or null when it is not one (spaces, symbols, empty or over-long labels). */
function toAsciiName(name: string): string | null {
  // Letters of any script, digits, hyphens and dots; the URL parser would also take `%`, `_` or `*`.
  if (!/^[\p{L}\p{M}\p{N}.-]+$/u.test(name)) return null;
  let ascii: string;
  try {
    ascii = new URL(`http://${name}/`).hostname;
  } catch {
    return null;
  }
  const labels = ascii.replace(/\.$/, '').split('.');
  const ok = labels.every(
    (label) =>
      label.length >= 1 &&
      label.length <= MAX_LABEL &&
      /^[a-z0-9-]+$/.test(label) &&
      !label.startsWith('-') &&
      !label.endsWith('-'),
  );
  // A name of digits only would be read as an IPv4 address by a resolver.
  return ok && !labels.every((label) => /^\d+$/.test(label)) ? ascii : null;
}

/** A host the user typed, trimmed; refusals carry a message written for people. */
export const HostSchema = v.pipe(
  v.string(),
  v.trim(),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const check = checkHost(dataset.value);
    if (!check.ok) addIssue({ message: check.message });
  }),
);
