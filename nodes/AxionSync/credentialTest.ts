/**
 * Test of the Axion Database credential (run by n8n through the node, `testedBy: 'axionDatabaseTest'`):
 * connects, and reports whether the table exists (and is usable) or will be created.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { errorMessage, openSyncStore, redact, SyncStoreError, type SyncStore } from '../shared/sync';
import { passwordOf, storeConfigFromCredentials } from './transport';

export async function axionDatabaseTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted<ICredentialDataDecryptedObject>,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const secrets = [passwordOf(data) ?? ''];
	let store: SyncStore | undefined;
	try {
		const config = storeConfigFromCredentials(data);
		// A private store: a credential being edited must not leave a pool in the cache.
		store = await openSyncStore(config, { cache: false });
		const info = await store.inspect();
		const where = `${info.server}, package "${store.packageName}"`;
		if (!info.exists) {
			const createTable = (data as { createTable?: unknown }).createTable !== false;
			return createTable
				? { status: 'OK', message: `Connected (${where}). Table ${info.name} does not exist yet: it will be created on first use.` }
				: { status: 'Error', message: `Connected (${where}), but table ${info.name} does not exist and "Create Table If Missing" is off.` };
		}
		if (info.missingColumns.length > 0) {
			return { status: 'Error', message: `Table ${info.name} exists but lacks the column(s) ${info.missingColumns.join(', ')}.` };
		}
		if (!info.hasUniqueKey) {
			return {
				status: 'Error',
				message: `Table ${info.name} exists but has no unique index on (Package, Provider, SourceTable, SourceKey, ExternalType): links cannot be upserted.`,
			};
		}
		return { status: 'OK', message: `Connected (${where}). Table ${info.name} exists.` };
	} catch (error) {
		const field = error instanceof SyncStoreError && error.field ? ` (check "${error.field}")` : '';
		return { status: 'Error', message: redact(`${errorMessage(error)}${field}`, secrets) };
	} finally {
		await store?.close().catch(() => undefined);
	}
}
