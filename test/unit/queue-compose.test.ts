/**
 * examples/queue-mode/docker-compose.yml, the deployment docs/queue-mode.md gives users: parsed, and checked
 * against the settings the queue-mode suite starts n8n with (dev/n8n/queue.ts), so the two cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

import { QueueCluster } from '../../dev/n8n/queue';

const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'examples', 'queue-mode', 'docker-compose.yml'), 'utf8'), { merge: true }) as {
	services: Record<string, { command?: string; environment?: Record<string, string>; image?: string; build?: string }>;
};
const n8nServices = Object.entries(compose.services).filter(([, s]) => s.image?.startsWith('n8n-axion'));

/** What the suite sets, less what only a test needs (ports, hosts, credentials of its throwaway servers, timings). */
const suite = QueueCluster.environment({ host: 'h', port: 1, user: 'u', password: 'p', database: 'd' }, { host: 'r', port: 2 });
const HOST_SPECIFIC = /^(DB_POSTGRESDB_(HOST|PORT|USER|PASSWORD|DATABASE)|QUEUE_BULL_REDIS_(HOST|PORT))$/;
/** Shortened for the tests only (how fast a dead worker or a published workflow is noticed): defaults in production. */
const TEST_TIMING = /^(QUEUE_WORKER_|N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS$)/;

describe('the queue-mode docker-compose example', () => {
	it('has main, workers and a webhook processor, all from the image that installs this package', () => {
		expect(n8nServices.map(([name, s]) => [name, s.command?.split(' ')[0]])).toEqual([
			['main', 'start'],
			['worker', 'worker'],
			['webhook', 'webhook'],
		]);
		const dockerfile = readFileSync(join(root, 'examples', 'queue-mode', 'Dockerfile'), 'utf8');
		const { name } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string };
		expect(dockerfile).toContain(`npm install --omit=dev ${name}`);
		expect(dockerfile).toMatch(/^FROM n8nio\/n8n:2\.41\.1$/m);
		for (const [, service] of n8nServices) expect(service.build).toBe('.');
	});

	it('gives every n8n process the settings the queue-mode suite runs n8n with', () => {
		for (const [name, service] of n8nServices) {
			const env = service.environment ?? {};
			for (const [key, value] of Object.entries(suite)) {
				if (TEST_TIMING.test(key)) continue;
				if (HOST_SPECIFIC.test(key)) expect([name, key, env[key] !== undefined]).toEqual([name, key, true]);
				else expect([name, key, env[key]]).toEqual([name, key, value]);
			}
			expect(env.N8N_ENCRYPTION_KEY).toBe('${N8N_ENCRYPTION_KEY}');
		}
		expect(compose.services.worker.environment).toMatchObject({ QUEUE_HEALTH_CHECK_ACTIVE: 'true' });
		expect(compose.services.worker.environment?.QUEUE_HEALTH_CHECK_PORT).not.toBe(compose.services.main.environment?.N8N_PORT);
	});
});
