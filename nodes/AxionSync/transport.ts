/**
 * From the Axion Database credential to a store, and from store errors to n8n errors.
 */
import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IExecuteFunctions,
	type INode,
} from 'n8n-workflow';

import {
	SyncStoreError,
	errorMessage,
	openSyncStore,
	redact,
	type PgSslMode,
	type SyncStore,
	type SyncStoreConfig,
} from '../shared/sync';
import { operationError } from '../common/errors';

export const CREDENTIAL_TYPE = 'axionDatabase';

/** The credential's fields (see credentials/AxionDatabase.credentials.ts). */
export interface AxionDatabaseCredentials {
	engine?: string;
	sqliteFile?: string;
	sqliteShared?: boolean;
	host?: string;
	port?: number | string;
	database?: string;
	user?: string;
	password?: string;
	ssl?: string;
	caCertificate?: string;
	schema?: string;
	table?: string;
	createTable?: boolean;
	createSchema?: boolean;
	packageName?: string;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' ? value : value === undefined || value === null ? undefined : String(value);
}

/** Maps the credential to a store configuration (validated later by the store: errors name the field). */
export function storeConfigFromCredentials(credentials: AxionDatabaseCredentials | ICredentialDataDecryptedObject): SyncStoreConfig {
	const c = credentials as AxionDatabaseCredentials;
	const common = {
		table: text(c.table),
		packageName: text(c.packageName),
		createTable: c.createTable !== false,
	};
	const engine = text(c.engine) ?? 'sqlite';
	if (engine === 'postgres') {
		const port = c.port === undefined || c.port === '' ? undefined : Number(c.port);
		return {
			engine: 'postgres',
			host: text(c.host) ?? '',
			port,
			database: text(c.database) ?? '',
			user: text(c.user) ?? '',
			password: text(c.password) ?? '',
			ssl: (text(c.ssl) ?? 'disable') as PgSslMode,
			caCertificate: text(c.caCertificate),
			schema: text(c.schema),
			createSchema: c.createSchema === true,
			...common,
		};
	}
	// Anything else than sqlite is rejected by the store with a message naming the Engine field.
	return { engine: engine as 'sqlite', file: text(c.sqliteFile), sharedByAllWorkers: c.sqliteShared === true, ...common };
}

export function passwordOf(credentials: AxionDatabaseCredentials | ICredentialDataDecryptedObject): string | undefined {
	return text((credentials as AxionDatabaseCredentials).password);
}

/** Opens the (process-wide cached) store of the node's credential. */
export async function openStore(this: IExecuteFunctions): Promise<{ store: SyncStore; secrets: string[] }> {
	const credentials = await this.getCredentials<AxionDatabaseCredentials>(CREDENTIAL_TYPE);
	const secrets = [passwordOf(credentials) ?? ''];
	try {
		return { store: await openSyncStore(storeConfigFromCredentials(credentials)), secrets };
	} catch (error) {
		throw toNodeError(this.getNode(), error, 0, secrets);
	}
}

/** An n8n error for any failure, naming the field at fault, without secrets. */
export function toNodeError(node: INode, error: unknown, itemIndex: number, secrets: string[]): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	const message = redact(errorMessage(error), secrets);
	let description: string | undefined;
	if (error instanceof SyncStoreError) {
		if (error.field) {
			const where = ['config', 'connection', 'authentication', 'schema', 'busy'].includes(error.code)
				? 'the Axion Database credential'
				: 'the node';
			description = `Check the field "${error.field}" of ${where}.`;
		}
		if (error.dbCode) description = `${description ? `${description} ` : ''}Database code ${error.dbCode}.`;
	}
	return operationError(node, message, { itemIndex, description });
}
