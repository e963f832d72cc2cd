/**
 * File (Get, List, Commit Files) and Pipeline Variable (repository and deployment environments) through
 * n8n-core's workflow engine against the sandbox: what Bitbucket received, what its repository holds afterwards,
 * and what the items carry — bytes compared exactly, secured values looked for everywhere.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { BitbucketCloud } from '../../nodes/BitbucketCloud/BitbucketCloud.node';
import { listSearch, runChain, runNode, type RunResult } from '../../dev/n8n/engine';
import { SANDBOX_CREDENTIALS as C, startSandbox, type RecordedRequest, type Sandbox } from '../../dev/sandbox/server';
import { specTemplateFor } from '../helpers/openapi';

const TYPE = 'n8n-nodes-axion-bitbucket.bitbucketCloud';
const rl = (value: string, mode = 'slug') => ({ __rl: true, mode, value });
const repoParams = { workspace: rl(C.workspace), repository: rl(C.repo) };
const SECRET = 'rotated-deploy-token-5b7e1c9a';

let sandbox: Sandbox;
const sent: RecordedRequest[] = [];

beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sent.push(...sandbox.requests);
	sandbox.reset();
});

const credentials = () => ({
	bitbucketCloudApi: { authType: 'apiToken', email: C.apiToken.email, apiToken: C.apiToken.token, baseUrl: sandbox.baseUrl },
});

async function run(parameters: INodeParameters, options: { items?: INodeExecutionData[]; continueOnFail?: boolean } = {}): Promise<RunResult & { items: INodeExecutionData[] }> {
	return await runNode(
		{ type: TYPE, nodeType: new BitbucketCloud(), parameters, credentials: ['bitbucketCloudApi'], continueOnFail: options.continueOnFail },
		{ credentials: credentials(), items: options.items },
	);
}

function repo() {
	return sandbox.state.repo(C.workspace, C.repo)!;
}

/** The files of a branch's head in the sandbox. */
function treeOf(branch: string) {
	const head = sandbox.state.branch(repo(), branch);
	if (!head) throw new Error(`no branch ${branch}`);
	return sandbox.state.treeOf(repo(), head.target);
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 254, 255, 0, 13, 10]);

describe('File → Commit Files', () => {
	it('commits a text file and a binary file to a new branch from develop, then opens a pull request from it', async () => {
		const develop = sandbox.state.branch(repo(), 'develop')!.target.hash;
		const result = await runChain(
			[
				{
					name: 'Commit',
					type: TYPE,
					nodeType: new BitbucketCloud(),
					credentials: ['bitbucketCloudApi'],
					parameters: {
						resource: 'file',
						operation: 'commit',
						...repoParams,
						branch: 'chore/release-2.4.0',
						message: 'Release 2.4.0: changelog and logo',
						files: {
							file: [
								{ path: 'CHANGELOG.md', source: 'text', content: '# Changelog\n\n## 2.4.0\n- Faster exports\n' },
								{ path: 'docs/images/logo-2.png', source: 'binary', binaryProperty: 'logo' },
							],
						},
						deletePaths: ['docs/guide.md'],
						commitOptions: { author: 'Release Bot <release@axion.test>', fromBranch: 'develop' },
					},
				},
				{
					name: 'Open pull request',
					type: TYPE,
					nodeType: new BitbucketCloud(),
					credentials: ['bitbucketCloudApi'],
					parameters: {
						resource: 'pullRequest',
						operation: 'create',
						...repoParams,
						title: 'Release 2.4.0',
						sourceBranch: rl('={{ $json.branch }}', 'name'),
						destinationBranch: rl('develop', 'name'),
					},
				},
			],
			{
				credentials: credentials(),
				items: [{ json: {}, binary: { logo: { data: PNG.toString('base64'), mimeType: 'image/png', fileName: 'logo.png' } } }],
			},
		);
		expect(result.error).toBeUndefined();
		const [commit] = result.output['Commit'].map((i) => i.json);
		expect(commit).toMatchObject({
			branch: 'chore/release-2.4.0',
			message: 'Release 2.4.0: changelog and logo',
			author: 'Release Bot <release@axion.test>',
			parents: [develop],
			written: ['CHANGELOG.md', 'docs/images/logo-2.png'],
			deleted: ['docs/guide.md'],
		});
		const tree = treeOf('chore/release-2.4.0');
		expect(tree.get('CHANGELOG.md')?.content.toString()).toBe('# Changelog\n\n## 2.4.0\n- Faster exports\n');
		expect(tree.get('docs/images/logo-2.png')?.content.equals(PNG)).toBe(true);
		expect(tree.has('docs/guide.md')).toBe(false);
		expect(tree.get('README.md')?.content.toString()).toMatch(/^# Axion/);
		expect(sandbox.state.branch(repo(), 'chore/release-2.4.0')!.target.hash).toBe(commit.hash);
		// develop did not move; the pull request goes from the new branch into it.
		expect(sandbox.state.branch(repo(), 'develop')!.target.hash).toBe(develop);
		const [pr] = result.output['Open pull request'].map((i) => i.json);
		expect(pr).toMatchObject({ source: { branch: { name: 'chore/release-2.4.0' } }, destination: { branch: { name: 'develop' } } });
		// One POST to src, multipart, with the branch and message as form fields (none in the query).
		const posts = sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/src'));
		expect(posts).toHaveLength(1);
		expect(posts[0].headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(posts[0].query).toEqual({});
		expect(posts[0].rawBody).toContain('name="branch"\r\n\r\nchore/release-2.4.0\r\n');
	});

	it('says the branch moved when the parent commit is no longer its head, and sends the commit once', async () => {
		const old = sandbox.state.branch(repo(), 'develop')!.target.hash;
		sandbox.pushCommits('develop', 1);
		const result = await run({
			resource: 'file',
			operation: 'commit',
			...repoParams,
			branch: 'develop',
			message: 'Bump',
			files: { file: [{ path: 'VERSION', source: 'text', content: '2.4.0\n' }] },
			commitOptions: { parent: old },
		});
		expect(result.error?.message).toMatch(/the branch "develop" moved: its head is no longer/);
		expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
	});

	it.each([
		['a ".." segment', { file: [{ path: '../secrets.txt', source: 'text', content: 'x' }] }, [], /"\.\.\/secrets\.txt" is not a valid path in the repository: it has a "\." or "\.\." part/, 'Files → Path'],
		['an empty file path', { file: [{ path: ' ', source: 'text', content: 'x' }] }, [], /Files → Path is empty/, 'Files → Path'],
		['a leading slash', { file: [{ path: '/etc/passwd', source: 'text', content: 'x' }] }, [], /starts with "\/"/, 'Files → Path'],
		['a binary property that is not there', { file: [{ path: 'a.bin', source: 'binary', binaryProperty: 'nope' }] }, [], /Binary Property "nope" \(for a\.bin\) is not on input item 0: it has no binary data/, 'Files → Binary Property'],
		['the same path twice', { file: [{ path: 'a.txt', source: 'text', content: '1' }] }, ['a.txt'], /"a\.txt" is named twice in one commit/, ''],
		['nothing to commit', {}, [], /Nothing to commit/, ''],
	])('refuses %s before any request, naming the field', async (_, files, deletePaths, message, field) => {
		const result = await run({ resource: 'file', operation: 'commit', ...repoParams, branch: 'x', message: 'm', files, deletePaths });
		expect(result.error?.message).toMatch(message);
		if (field) expect(result.error?.description).toContain(field);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('with Continue On Fail, a bad item is an error item and the others are committed', async () => {
		const result = await run(
			{
				resource: 'file',
				operation: 'commit',
				...repoParams,
				branch: '={{ $json.branch }}',
				message: 'Notes',
				files: { file: [{ path: '={{ $json.path }}', source: 'text', content: 'hello' }] },
			},
			{
				continueOnFail: true,
				items: [
					{ json: { branch: 'notes/a', path: 'notes/a.md' } },
					{ json: { branch: 'notes/b', path: 'notes/../b.md' } },
					{ json: { branch: 'notes/c', path: 'notes/c.md' } },
				],
			},
		);
		expect(result.items.map((i) => i.json.error ?? i.json.branch)).toEqual(['notes/a', expect.stringMatching(/not a valid path/), 'notes/c']);
		expect(result.items[1].json.field).toBe('files.path');
		expect(treeOf('notes/c').get('notes/c.md')?.content.toString()).toBe('hello');
	});
});

describe('File → Get and List', () => {
	it('reads a file as text, and the same file as binary data with exactly its bytes', async () => {
		const stored = repo().files.get('docs/images/logo.png')!.content;
		const [text] = (await run({ resource: 'file', operation: 'get', ...repoParams, path: 'README.md', output: 'text' })).items;
		expect(text.json).toMatchObject({ path: 'README.md', content: repo().files.get('README.md')!.content.toString(), mimeType: 'text/markdown' });
		const result = await run({ resource: 'file', operation: 'get', ...repoParams, path: 'docs/images/logo.png', at: 'develop', output: 'binary', binaryProperty: 'logo' });
		expect(result.error).toBeUndefined();
		const [item] = result.items;
		expect(item.json).toMatchObject({ path: 'docs/images/logo.png', size: stored.length, mimeType: 'image/png' });
		expect(item.binary?.logo).toMatchObject({ fileName: 'logo.png', mimeType: 'image/png' });
		expect(Buffer.from(item.binary!.logo.data, 'base64').equals(stored)).toBe(true);
	});

	it('reads every file of one execution from the same commit, resolving the branch once', async () => {
		const result = await run(
			{ resource: 'file', operation: 'get', ...repoParams, path: '={{ $json.path }}', at: 'main', output: 'text' },
			{ items: ['README.md', 'package.json', 'config/app.json'].map((path) => ({ json: { path } })) },
		);
		expect(new Set(result.items.map((i) => i.json.commit)).size).toBe(1);
		expect(sandbox.requests.filter((r) => /refs\/branches\/main$/.test(r.path))).toHaveLength(1);
	});

	it('points to List when the path is a directory, and to Get when a listing names a file', async () => {
		expect((await run({ resource: 'file', operation: 'get', ...repoParams, path: 'docs' })).error?.message).toMatch(/"docs" is a directory, not a file: use File → List/);
		expect((await run({ resource: 'file', operation: 'list', ...repoParams, path: 'README.md', returnAll: true })).error?.message).toMatch(
			/"README\.md" is a file, not a directory: use File → Get/,
		);
		expect((await run({ resource: 'file', operation: 'get', ...repoParams, path: 'nope.md' })).error?.message).toMatch(/Bitbucket 404: No such file or directory: nope\.md/);
		expect((await run({ resource: 'file', operation: 'get', ...repoParams, path: 'README.md', at: 'no-such-branch' })).error?.message).toMatch(
			/No branch or tag named "no-such-branch"/,
		);
	});

	it('lists a directory, and recursively to a depth, with exact counts', async () => {
		const paths = [...repo().files.keys()];
		const under = (prefix: string, depth: number) => {
			const entries = new Set<string>();
			for (const path of paths.filter((p) => p.startsWith(prefix))) {
				const parts = path.slice(prefix.length).split('/');
				for (let d = 1; d <= Math.min(depth, parts.length); d++) entries.add(prefix + parts.slice(0, d).join('/'));
			}
			return entries;
		};
		const list = async (path: string, maxDepth: number) =>
			(await run({ resource: 'file', operation: 'list', ...repoParams, path, maxDepth, returnAll: true })).items.map((i) => i.json);
		const root = await list('', 1);
		expect(root.map((e) => e.path).sort()).toEqual([...under('', 1)].sort());
		const all = await list('', 10);
		expect(all).toHaveLength(under('', 10).size);
		expect(all.filter((e) => e.type === 'file')).toHaveLength(paths.length);
		const config = await list('config', 2);
		expect(config.map((e) => `${e.type} ${e.path}`)).toEqual([
			'file config/app.json',
			'directory config/environments',
			'file config/environments/production.env',
			'file config/environments/staging.env',
		]);
		const limited = (await run({ resource: 'file', operation: 'list', ...repoParams, path: '', maxDepth: 10, returnAll: false, limit: 5 })).items;
		expect(limited).toHaveLength(5);
	});
});

describe('Pipeline Variable', () => {
	const upsert = (value: string, extra: IDataObject = {}) =>
		run({ resource: 'pipelineVariable', operation: 'upsert', ...repoParams, key: 'DEPLOY_TOKEN', value, secured: true, ...extra });

	it('creates a secured variable, then updates it by key: the value is in no item, and only Bitbucket has it', async () => {
		const first = await upsert(SECRET);
		const second = await upsert(`${SECRET}-2`);
		expect(first.items[0].json).toMatchObject({ key: 'DEPLOY_TOKEN', secured: true, created: true });
		expect(second.items[0].json).toMatchObject({ key: 'DEPLOY_TOKEN', secured: true, created: false, uuid: first.items[0].json.uuid });
		for (const result of [first, second]) {
			expect(result.items[0].json).not.toHaveProperty('value');
			expect(JSON.stringify(result.run)).not.toContain(SECRET);
		}
		const stored = repo().pipelineVariables.filter((v) => v.key === 'DEPLOY_TOKEN');
		expect(stored).toEqual([expect.objectContaining({ value: `${SECRET}-2`, secured: true })]);
		// The update went to the variable's UUID.
		expect(sandbox.requests.map((r) => `${r.method} ${r.path.split('/').slice(-2).join('/')}`)).toEqual([
			'GET pipelines_config/variables',
			'POST pipelines_config/variables',
			'GET pipelines_config/variables',
			`PUT variables/${encodeURIComponent(String(first.items[0].json.uuid))}`,
		]);
	});

	it('sets a deployment environment variable chosen from the list', async () => {
		const environments = await listSearch(
			{ type: TYPE, nodeType: new BitbucketCloud(), parameters: { authentication: 'bitbucketCloudApi', ...repoParams, scope: 'environment' }, credentials: ['bitbucketCloudApi'] },
			'searchEnvironments',
			{ credentials: credentials(), filter: 'stag' },
		);
		expect(environments.results.map((r) => r.name)).toEqual(['Staging']);
		const staging = String(environments.results[0].value);
		const result = await upsert(SECRET, { scope: 'environment', environment: rl(staging, 'list') });
		expect(result.items[0].json).toMatchObject({ type: 'deployment_variable', key: 'DEPLOY_TOKEN', created: false });
		const env = repo().environments.find((e) => e.uuid === staging)!;
		expect(env.variables.find((v) => v.key === 'DEPLOY_TOKEN')?.value).toBe(SECRET);
		expect(repo().pipelineVariables.some((v) => v.key === 'DEPLOY_TOKEN')).toBe(false);
		expect(JSON.stringify(result.run)).not.toContain(SECRET);
	});

	it('gets many, gets, updates and deletes by UUID', async () => {
		const many = (await run({ resource: 'pipelineVariable', operation: 'getMany', ...repoParams, returnAll: true })).items.map((i) => i.json);
		expect(many.map((v) => v.key)).toEqual(repo().pipelineVariables.map((v) => v.key));
		expect(many.find((v) => v.key === 'NPM_TOKEN')).not.toHaveProperty('value');
		const node = { uuid: String(many.find((v) => v.key === 'NODE_VERSION')!.uuid) };
		const [got] = (await run({ resource: 'pipelineVariable', operation: 'get', ...repoParams, variableUuid: node.uuid })).items;
		expect(got.json).toMatchObject({ key: 'NODE_VERSION', value: '24' });
		const [updated] = (
			await run({ resource: 'pipelineVariable', operation: 'update', ...repoParams, variableUuid: node.uuid, updateFields: { value: '26', secured: false } })
		).items;
		expect(updated.json).toMatchObject({ key: 'NODE_VERSION', value: '26', secured: false });
		await run({ resource: 'pipelineVariable', operation: 'delete', ...repoParams, variableUuid: node.uuid });
		expect(repo().pipelineVariables.some((v) => v.key === 'NODE_VERSION')).toBe(false);
	});

	it('says a key exists on Create, and refuses a malformed key before any request', async () => {
		const duplicate = await run({ resource: 'pipelineVariable', operation: 'create', ...repoParams, key: 'NPM_TOKEN', value: SECRET, secured: true });
		expect(duplicate.error?.message).toMatch(/a variable with the key NPM_TOKEN already exists here\. Use Update, or Create or Update/);
		// n8n keeps the node's own parameters with an error (the value typed into the workflow); what we say is clean.
		expect(JSON.stringify([duplicate.error?.message, duplicate.error?.description, duplicate.error?.context, duplicate.items])).not.toContain(SECRET);
		sandbox.clearRequests();
		const malformed = await run({ resource: 'pipelineVariable', operation: 'create', ...repoParams, key: '9-LIVES', value: 'x' });
		expect(malformed.error?.message).toMatch(/Key "9-LIVES" may hold only letters, digits and underscores/);
		expect(malformed.error?.description).toContain('Key');
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('the API spec', () => {
	it('has every method and path these operations sent', () => {
		const all = [...sent, ...sandbox.requests];
		expect(all.filter((r) => /\/src(\/|$)/.test(r.path)).length).toBeGreaterThan(10);
		expect(all.filter((r) => /variables/.test(r.path)).length).toBeGreaterThanOrEqual(10);
		expect(all.filter((r) => !specTemplateFor(r.method, r.path)).map((r) => `${r.method} ${r.path}`)).toEqual([]);
	});
});
