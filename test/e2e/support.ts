/**
 * Shared by the e2e test files (not a test itself): node and workflow builders for a real n8n, the sandbox
 * credentials, and reading the def_integration_sync rows the Axion Sync node wrote.
 */
import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';

import type { IDataObject } from 'n8n-workflow';

import type { N8nCredential, WorkflowConnection, WorkflowDefinition, WorkflowNode } from '../../dev/n8n/instance';
import type { RecordedRequest } from '../../dev/sandbox/server';

export const PACKAGE = 'n8n-nodes-axion-bitbucket';
export const BITBUCKET_NODE = `${PACKAGE}.bitbucketCloud`;
export const AXION_SYNC_NODE = `${PACKAGE}.axionSync`;

export const log = (line: string): void => {
	process.stderr.write(`${line}\n`);
};

/** A resource-locator value as n8n stores it. */
export const rl = (value: string | number, mode = 'id') => ({ __rl: true, mode, value: String(value) });

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

let nodeCounter = 0;

/** A Bitbucket Cloud node using the given credential (type bitbucketCloudApi unless the credential says otherwise). */
export function bitbucketNode(
	name: string,
	parameters: IDataObject,
	credential: N8nCredential,
	options: { position?: [number, number]; onError?: WorkflowNode['onError'] } = {},
): WorkflowNode {
	nodeCounter += 1;
	return {
		id: `bb-${nodeCounter}`,
		name,
		type: BITBUCKET_NODE,
		typeVersion: 1,
		position: options.position ?? [nodeCounter * 220, 0],
		parameters: { authentication: credential.type, ...parameters },
		credentials: { [credential.type]: { id: credential.id, name: credential.name } },
		...(options.onError ? { onError: options.onError } : {}),
	};
}

/** Any node (built-in or ours) without credentials. */
export function plainNode(name: string, type: string, typeVersion: number, parameters: IDataObject): WorkflowNode {
	nodeCounter += 1;
	return { id: `n-${nodeCounter}`, name, type, typeVersion, position: [nodeCounter * 220, 200], parameters };
}

export function manualTrigger(name = 'Start'): WorkflowNode {
	return { id: 'start', name, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
}

const link = (node: string): WorkflowConnection => ({ node, type: 'main', index: 0 });

/** Start → node 1 → node 2 → … */
export function chain(id: string, nodes: WorkflowNode[]): WorkflowDefinition {
	const all = [manualTrigger(), ...nodes];
	const connections: WorkflowDefinition['connections'] = {};
	for (let i = 0; i < all.length - 1; i++) connections[all[i].name] = { main: [[link(all[i + 1].name)]] };
	return { id, name: `e2e ${id}`, nodes: all, connections, settings: { executionOrder: 'v1' } };
}

/** Start → every node, side by side (one execution runs them all, one after the other). */
export function fanOut(id: string, nodes: WorkflowNode[]): WorkflowDefinition {
	const start = manualTrigger();
	return {
		id,
		name: `e2e ${id}`,
		nodes: [start, ...nodes],
		connections: { [start.name]: { main: [nodes.map((node) => link(node.name))] } },
		settings: { executionOrder: 'v1' },
	};
}

/** The rows of def_integration_sync, oldest first; [] when the file or table does not exist yet. */
export function syncRows(file: string, table = 'def_integration_sync'): IDataObject[] {
	if (!existsSync(file)) return [];
	const db = new DatabaseSync(file, { readOnly: true });
	try {
		const exists = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table);
		if (!exists) return [];
		return db.prepare(`SELECT * FROM "${table}" ORDER BY "SyncedAt", "SourceTable", "SourceKey"`).all() as IDataObject[];
	} finally {
		db.close();
	}
}

/** `METHOD path status` of recorded sandbox requests, for readable failure messages. */
export function describeRequests(requests: readonly RecordedRequest[]): string[] {
	return requests.map((r) => `${r.method} ${r.path} ${r.status}`);
}
