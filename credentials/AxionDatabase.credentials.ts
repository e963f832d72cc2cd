import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Where the def_integration_sync table lives: an SQLite file (Node's built-in node:sqlite, nothing to
 * install) or a PostgreSQL database. Tested by the Axion Sync node (`axionDatabaseTest`), which connects
 * and reports whether the table exists or will be created.
 */
// The names `axionDatabase` / "Axion Database" are fixed by the Axion design (it is not an HTTP API, so
// the "-Api" suffix rules do not fit). Tested by the Axion Sync node (testedBy: 'axionDatabaseTest').
// eslint-disable-next-line n8n-nodes-base/cred-class-name-unsuffixed
export class AxionDatabase implements ICredentialType {
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-name-unsuffixed
	name = 'axionDatabase';

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api
	displayName = 'Axion Database';

	documentationUrl = 'https://bitbucket.org/technocore_axion/n8n-nodes-axion-bitbucket';

	icon = { light: 'file:../nodes/AxionSync/axionSync.svg', dark: 'file:../nodes/AxionSync/axionSync.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Engine',
			name: 'engine',
			type: 'options',
			options: [
				{
					name: 'SQLite (File on the n8n Machine)',
					value: 'sqlite',
					description: "A file read and written with Node's built-in SQLite; nothing to install",
				},
				{
					name: 'PostgreSQL',
					value: 'postgres',
					description: 'The Axion database, or any PostgreSQL shared by several n8n workers',
				},
			],
			default: 'sqlite',
		},
		{
			displayName: 'SQLite File',
			name: 'sqliteFile',
			type: 'string',
			default: 'axion-sync.sqlite',
			placeholder: 'e.g. /data/axion-sync.sqlite',
			description:
				'Path of the SQLite file. A relative path is resolved in the n8n folder ($N8N_USER_FOLDER/.n8n, else ~/.n8n); the file and its folder are created when missing.',
			displayOptions: { show: { engine: ['sqlite'] } },
		},
		{
			displayName: 'File Shared by All Workers',
			name: 'sqliteShared',
			type: 'boolean',
			default: false,
			description:
				'Whether the SQLite file is on storage that every n8n process sees. In queue mode (main and workers) SQLite is refused unless this is on: each worker would otherwise write its own file. PostgreSQL is the engine for queue mode.',
			displayOptions: { show: { engine: ['sqlite'] } },
		},
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: 'localhost',
			required: true,
			displayOptions: { show: { engine: ['postgres'] } },
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 5432,
			displayOptions: { show: { engine: ['postgres'] } },
		},
		{
			displayName: 'Database',
			name: 'database',
			type: 'string',
			default: 'postgres',
			required: true,
			displayOptions: { show: { engine: ['postgres'] } },
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: 'postgres',
			required: true,
			displayOptions: { show: { engine: ['postgres'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { engine: ['postgres'] } },
		},
		{
			displayName: 'SSL',
			name: 'ssl',
			type: 'options',
			options: [
				{ name: 'Disable', value: 'disable', description: 'Plain connection' },
				{ name: 'Allow', value: 'allow', description: 'Plain connection, SSL if the server insists' },
				{ name: 'Require', value: 'require', description: 'Encrypted; the certificate is not checked' },
				{
					name: 'Verify Full',
					value: 'verify-full',
					description: 'Encrypted; the certificate must be trusted and match the host name',
				},
			],
			default: 'disable',
			displayOptions: { show: { engine: ['postgres'] } },
		},
		// A CA certificate is public, not a secret: it stays readable.
		// eslint-disable-next-line @n8n/community-nodes/credential-password-field
		{
			displayName: 'CA Certificate',
			name: 'caCertificate',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: "PEM certificate(s) of the CA that signed the server's certificate. Empty: the system's trusted CAs.",
			displayOptions: { show: { engine: ['postgres'], ssl: ['verify-full'] } },
		},
		{
			displayName: 'Schema',
			name: 'schema',
			type: 'string',
			default: 'public',
			description: 'Schema of the table (letters, digits, underscores; case-sensitive)',
			displayOptions: { show: { engine: ['postgres'] } },
		},
		{
			displayName: 'Table Name',
			name: 'table',
			type: 'string',
			default: 'def_integration_sync',
			description:
				'The sync table (letters, digits, underscores; case-sensitive). An existing table is used as it is.',
		},
		{
			displayName: 'Create Table If Missing',
			name: 'createTable',
			type: 'boolean',
			default: true,
			description:
				'Whether to create the table and its two indexes when they do not exist (safe when several workers start at once). Turn off when only Axion may create tables.',
		},
		{
			displayName: 'Create Schema If Missing',
			name: 'createSchema',
			type: 'boolean',
			default: false,
			description:
				'Whether to create the schema too when it does not exist. Off: a schema that does not exist is reported (a typo would otherwise create a new, empty schema).',
			displayOptions: { show: { engine: ['postgres'], createTable: [true] } },
		},
		{
			displayName: 'Package',
			name: 'packageName',
			type: 'string',
			default: '',
			placeholder: 'e.g. axion',
			description:
				'The active Axion package, written into every row and used to filter every read. Empty: the AXION_PACKAGE environment variable of the n8n process, else "axion".',
		},
	];
}
