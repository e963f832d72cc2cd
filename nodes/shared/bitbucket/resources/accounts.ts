import { textArg } from '../paths';

/** An account as Bitbucket takes it in a body: `{uuid}` for `{…}` values, else `{account_id}`. */
export function accountRef(id: unknown, field: string): { uuid: string } | { account_id: string } {
	const text = textArg(id, field, 'Account ID');
	return /^\{.*\}$/.test(text) ? { uuid: text } : { account_id: text };
}
