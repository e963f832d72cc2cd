import type { AccountRecord } from '../model';
import { bareUuidOf, uuidOf } from '../prng';
import { seedTime } from '../time';

function account(nickname: string, displayName: string, email: string, daysBeforeEpoch: number): AccountRecord {
	return {
		uuid: uuidOf(`user:${nickname}`),
		account_id: `712020:${bareUuidOf(`account:${nickname}`)}`,
		nickname,
		display_name: displayName,
		email,
		created_on: seedTime(-daysBeforeEpoch * 24 * 60),
	};
}

export interface SeedAccounts {
	dev: AccountRecord;
	readOnly: AccountRecord;
	bot: AccountRecord;
	/** The bot account Bitbucket creates behind a repository access token. */
	accessTokenBot: AccountRecord;
	teammates: AccountRecord[];
	all: AccountRecord[];
}

export function seedAccounts(): SeedAccounts {
	const dev = account('axion-dev', 'Axion Developer', 'dev@axion.test', 900);
	const readOnly = account('axion-readonly', 'Axion Read-Only', 'readonly@axion.test', 400);
	const bot = account('axion-bot', 'Axion Bot', 'bot@axion.test', 700);
	const accessTokenBot = account('axion-repository-token', 'axion (repository access token)', 'axion-token@bots.bitbucket.test', 30);
	const teammates = [
		account('lena-ortiz', 'Lena Ortiz', 'lena@axion.test', 850),
		account('marco-tan', 'Marco Tan', 'marco@axion.test', 800),
		account('priya-nair', 'Priya Nair', 'priya@axion.test', 640),
		account('jonas-berg', 'Jonas Berg', 'jonas@axion.test', 500),
		account('aiko-sato', 'Aiko Sato', 'aiko@axion.test', 300),
	];
	return { dev, readOnly, bot, accessTokenBot, teammates, all: [dev, readOnly, bot, accessTokenBot, ...teammates] };
}
