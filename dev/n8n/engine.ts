/**
 * Runs our nodes through n8n's own execution engine (n8n-core's WorkflowExecute), in-process, the way
 * n8n-nodes-base tests its nodes: real parameter resolution, expressions, continueOnFail, pairedItem,
 * and this.helpers.httpRequestWithAuthentication doing real HTTP (to the sandbox).
 * Only the credential store is replaced: credentials are handed in decrypted.
 */
import { ExecutionLifecycleHooks, LoadOptionsContext, PollContext, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IConnections,
	type IDataObject,
	type IExecuteData,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunData,
	type IRunExecutionData,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { BitbucketCloudApi } from '../../credentials/BitbucketCloudApi.credentials';
import { BitbucketCloudOAuth2Api } from '../../credentials/BitbucketCloudOAuth2Api.credentials';

export const PACKAGE = 'n8n-nodes-axion-bitbucket';

/** Credential types the engine knows; tests may register more (e.g. the Axion database credential). */
const credentialTypes = new Map<string, ICredentialType>([
	['bitbucketCloudApi', new BitbucketCloudApi()],
	['bitbucketCloudOAuth2Api', new BitbucketCloudOAuth2Api()],
]);

export function registerCredentialType(type: ICredentialType): void {
	credentialTypes.set(type.name, type);
}

/** Like n8n's CredentialsHelper, minus the encrypted store. */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(name: string): string[] {
		const type = credentialTypes.get(name);
		const parents = type?.extends ?? [];
		return parents.flatMap((p) => [p, ...this.getParentTypes(p)]);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const type = credentialTypes.get(typeName);
		if (typeof type?.authenticate === 'function') return await type.authenticate(credentials, requestOptions);
		if (type?.authenticate) throw new Error(`Test engine: generic authenticate of ${typeName} is not supported`);
		return requestOptions;
	}

	async preAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('Test engine: getCredentials is not supported');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`Test engine: no credentials of type ${type} given`);
		// Defaults of the credential's properties apply, as in n8n.
		const defaults: ICredentialDataDecryptedObject = {};
		for (const p of credentialTypes.get(type)?.properties ?? []) {
			if (p.type !== 'notice' && defaults[p.name] === undefined) defaults[p.name] = p.default as never;
		}
		return { ...defaults, ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.data[type] = data;
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return credentialTypes.get(type)?.properties ?? [];
	}
}

class TestNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType>) {}

	getByName(name: string): INodeType | IVersionedNodeType {
		const type = this.types[name];
		if (!type) throw new Error(`Test engine: unknown node type ${name}`);
		return type;
	}

	getByNameAndVersion(name: string, version?: number): INodeType {
		const type = this.getByName(name);
		// A versioned node (n8n-nodes-base's, loaded by a benchmark) answers with the version asked for.
		return 'nodeVersions' in type ? type.getNodeType(version) : type;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

function buildAdditionalData(
	credentials: Record<string, ICredentialDataDecryptedObject>,
	hooks?: ExecutionLifecycleHooks,
	currentNodeParameters?: INodeParameters,
): IWorkflowExecuteAdditionalData {
	return {
		executionId: '1',
		credentialsHelper: new TestCredentialsHelper({ ...credentials }),
		hooks,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		currentNodeParameters,
		executionTimeoutTimestamp: undefined,
		userId: 'test-user',
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('Test engine: task runners are not available');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface WorkflowNode {
	name: string;
	/** Full type name, e.g. `n8n-nodes-axion-bitbucket.bitbucketCloud`. */
	type: string;
	nodeType: INodeType;
	parameters: INodeParameters;
	/** Credential types this node uses (n8n resolves them by type). */
	credentials?: string[];
	continueOnFail?: boolean;
	typeVersion?: number;
	/** n8n's "Execute Once" setting: the node runs on the first input item only. */
	executeOnce?: boolean;
}

export interface RunResult {
	run: IRun;
	/** Output items of each node, by node name (first run, first output). */
	output: Record<string, INodeExecutionData[]>;
	/** The workflow's error, if a node failed without continueOnFail. */
	error?: Error & { description?: string; context?: IDataObject; httpCode?: string };
}

/**
 * Executes a linear chain of nodes: the first receives `items`, each passes its first output to the next.
 */
export async function runChain(
	chain: WorkflowNode[],
	options: { credentials?: Record<string, ICredentialDataDecryptedObject>; items?: INodeExecutionData[] } = {},
): Promise<RunResult> {
	const nodes: INode[] = chain.map((n, i) => ({
		id: `node-${i}`,
		name: n.name,
		type: n.type,
		typeVersion: n.typeVersion ?? 1,
		position: [i * 200, 0],
		parameters: n.parameters,
		continueOnFail: n.continueOnFail,
		executeOnce: n.executeOnce,
		onError: n.continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
		credentials: credentialRefs(n.credentials),
	}));
	const connections: IConnections = {};
	for (let i = 0; i < chain.length - 1; i++) {
		connections[chain[i].name] = { main: [[{ node: chain[i + 1].name, type: 'main', index: 0 }]] };
	}
	const nodeTypes = new TestNodeTypes(Object.fromEntries(chain.map((n) => [n.type, n.nodeType])));
	const workflow = new Workflow({ id: 'test', name: 'test', nodes, connections, nodeTypes, active: false, settings: {} });

	const workflowData: IWorkflowBase = {
		id: 'test',
		name: 'test',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections,
	};
	const hooks = new ExecutionLifecycleHooks('manual', '1', workflowData);
	let finished: (run: IRun) => void = () => {};
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finished(run));

	const additionalData = buildAdditionalData(options.credentials ?? {}, hooks);

	const start = nodes[0];
	const runExecutionData: IRunExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [
				{
					node: start,
					data: { main: [options.items ?? [{ json: {} }]] },
					source: null,
				} as IExecuteData,
			],
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as unknown as IRunExecutionData;

	const execute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await done;

	const output: Record<string, INodeExecutionData[]> = {};
	for (const [name, runs] of Object.entries(run.data.resultData.runData as IRunData)) {
		output[name] = runs[0]?.data?.main?.[0] ?? [];
	}
	return { run, output, error: run.data.resultData.error as RunResult['error'] };
}

/** Executes one node on `items`. */
export async function runNode(
	node: Omit<WorkflowNode, 'name'> & { name?: string },
	options: { credentials?: Record<string, ICredentialDataDecryptedObject>; items?: INodeExecutionData[] } = {},
): Promise<RunResult & { items: INodeExecutionData[] }> {
	const name = node.name ?? 'Node';
	const result = await runChain([{ ...node, name }], options);
	return { ...result, items: result.output[name] ?? [] };
}


/** The stored credential reference n8n keeps on a node, one per credential type the node uses. */
function credentialRefs(types: readonly string[] = []): INode['credentials'] {
	return Object.fromEntries(types.map((c) => [c, { id: `cred-${c}`, name: c }]));
}

/** A workflow of one node (list search, polling): the node as n8n stores it, and the Workflow object around it. */
function oneNodeWorkflow(
	node: Omit<WorkflowNode, 'name'>,
	as: { id: string; name: string; active?: boolean },
): { inode: INode; workflow: Workflow } {
	const inode: INode = {
		id: as.id,
		name: as.name,
		type: node.type,
		typeVersion: node.typeVersion ?? 1,
		position: [0, 0],
		parameters: node.parameters,
		credentials: credentialRefs(node.credentials),
	};
	const nodeTypes = new TestNodeTypes({ [node.type]: node.nodeType });
	const active = as.active === true;
	const workflow = new Workflow({ id: 'test', name: 'test', nodes: [inode], connections: {}, nodeTypes, active, settings: {}, ...(active ? { staticData: {} } : {}) });
	return { inode, workflow };
}
/**
 * Calls a node's listSearch method (a resource locator's "From List" mode) the way the n8n editor does,
 * with n8n-core's LoadOptionsContext and the node's current parameters.
 */
export async function listSearch(
	node: Omit<WorkflowNode, 'name'>,
	method: string,
	options: { credentials: Record<string, ICredentialDataDecryptedObject>; filter?: string; paginationToken?: string },
): Promise<INodeListSearchResult> {
	const { inode, workflow } = oneNodeWorkflow(node, { id: 'node-0', name: 'Node' });
	const additionalData = buildAdditionalData(options.credentials, undefined, node.parameters);
	const context = new LoadOptionsContext(workflow, inode, additionalData, 'parameters');
	const search = node.nodeType.methods?.listSearch?.[method];
	if (!search) throw new Error(`Test engine: no listSearch method ${method}`);
	return await search.call(context, options.filter, options.paginationToken);
}

export interface Poller {
	/** One poll, as n8n's poll scheduler runs it (`trigger`), or as "Fetch Test Event" does (`manual`). */
	poll(mode?: 'trigger' | 'manual'): Promise<INodeExecutionData[] | null>;
	/** The node's static data, as n8n would store it between polls. */
	readonly staticData: IDataObject;
}

/**
 * A poll trigger driven by n8n-core's own PollContext, on one Workflow object, so that the node's static data
 * lives on between polls exactly as in an active workflow (n8n refuses poll intervals under a minute, so a real
 * schedule is too slow for tests).
 */
export function createPoller(
	node: Omit<WorkflowNode, 'name'> & { name?: string },
	options: { credentials: Record<string, ICredentialDataDecryptedObject> },
): Poller {
	const { inode, workflow } = oneNodeWorkflow(node, { id: 'poll-0', name: node.name ?? 'Poll', active: true });
	const additionalData = buildAdditionalData(options.credentials);
	return {
		async poll(mode = 'trigger') {
			const context = new PollContext(workflow, inode, additionalData, mode, mode === 'manual' ? 'manual' : 'activate');
			const nodeType = node.nodeType;
			if (!nodeType.poll) throw new Error(`Test engine: ${node.type} has no poll()`);
			const result = await nodeType.poll.call(context);
			return result ? result[0] : null;
		},
		get staticData() {
			return workflow.getStaticData('node', inode) as IDataObject;
		},
	};
}
