/**
 * n8n replaces the whole message of a node error by a generic sentence when it mentions a Node.js error code
 * ("ECONNRESET" → "The connection to the server was closed unexpectedly … You can retry the request
 * immediately"), which loses what we said: the host, the file, or that a POST must not be sent again. Real codes
 * (upper case, a word of their own) are spelled out in words; the n8n error builders in nodes/common then keep
 * the message exactly as given, so user text that merely contains such letters is safe too.
 */
const CODE_WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	ECONNABORTED: 'connection aborted',
	ENOTFOUND: 'host not found',
	ETIMEDOUT: 'timed out',
	EHOSTUNREACH: 'host unreachable',
	EADDRNOTAVAIL: 'address not available',
	ERRADDRINUSE: 'address in use',
	EAI_AGAIN: 'name resolution failed',
	GETADDRINFO: 'name resolution',
	ENOENT: 'no such file or directory',
	EISDIR: 'is a directory',
	ENOTDIR: 'not a directory',
	EACCES: 'access denied',
	EEXIST: 'already exists',
	EPERM: 'not permitted',
};

// Longest first, so ECONNREFUSED wins over a shorter code inside it.
const CODES = new RegExp(
	`\\b(${Object.keys(CODE_WORDS)
		.sort((a, b) => b.length - a.length)
		.join('|')})\\b(:\\s*)?`,
	'g',
);

export function spellOutErrorCodes(message: string): string {
	return message.replace(CODES, (_, code: string, colon: string | undefined) => `${CODE_WORDS[code]}${colon ? ': ' : ''}`);
}
