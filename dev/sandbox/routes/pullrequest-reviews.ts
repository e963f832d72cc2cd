import { json, noContent, type RouteContext, type RouteDefinition } from '../context';
import { badRequest } from '../errors';
import type { ParticipantRecord, PullRequestRecord } from '../model';
import { R, SCOPES } from './common';
import { participantView, pullRequestOf } from './pullrequest-views';

/**
 * Approve, unapprove and request-changes take no body: Bitbucket answers 400 when the request carries a JSON
 * content type or any body (a well-known trap for HTTP clients that always send `{}` as JSON).
 */
function refuseBody(ctx: RouteContext): void {
	const contentType = ctx.headers['content-type'] ?? '';
	if (/json/i.test(contentType) || ctx.rawBody.length > 0) {
		throw badRequest('Bad request', {
			detail: 'This endpoint takes no request body: send it without a body and without Content-Type: application/json.',
		});
	}
}

function openPullRequest(ctx: RouteContext, action: string): PullRequestRecord {
	const { pr } = pullRequestOf(ctx);
	if (pr.state !== 'OPEN') throw badRequest(`You can't ${action} a pull request that is ${pr.state.toLowerCase()}.`);
	return pr;
}

function participantFor(ctx: RouteContext, pr: PullRequestRecord): ParticipantRecord {
	const user = ctx.principal.user;
	let participant = pr.participants.find((p) => p.user === user);
	if (!participant) {
		participant = { user, role: pr.reviewers.includes(user) ? 'REVIEWER' : 'PARTICIPANT', approved: false, state: null, participated_on: null };
		pr.participants.push(participant);
	}
	return participant;
}

function review(ctx: RouteContext, kind: 'approval' | 'changes_requested'): ParticipantRecord {
	refuseBody(ctx);
	const pr = openPullRequest(ctx, kind === 'approval' ? 'approve' : 'request changes on');
	const participant = participantFor(ctx, pr);
	const now = ctx.state.clock.now();
	participant.approved = kind === 'approval';
	participant.state = kind === 'approval' ? 'approved' : 'changes_requested';
	participant.participated_on = now;
	pr.updated_on = now;
	pr.activity.push({ kind, date: now, user: ctx.principal.user });
	return participant;
}

function withdraw(ctx: RouteContext, state: ParticipantRecord['state']): void {
	refuseBody(ctx);
	const pr = openPullRequest(ctx, state === 'approved' ? 'unapprove' : 'remove a change request from');
	const participant = pr.participants.find((p) => p.user === ctx.principal.user);
	if (participant && participant.state === state) {
		participant.approved = false;
		participant.state = null;
		pr.updated_on = ctx.state.clock.now();
	}
}

export const reviewRouteDefinitions: RouteDefinition[] = [
	{
		method: 'POST',
		path: `${R}/pullrequests/:pull_request_id/approve`,
		scopes: SCOPES.writePr,
		access: 'repository',
		handle: (ctx) => json(200, participantView(ctx.links, review(ctx, 'approval'))),
	},
	{
		method: 'DELETE',
		path: `${R}/pullrequests/:pull_request_id/approve`,
		scopes: SCOPES.writePrOnly,
		access: 'repository',
		handle: (ctx) => {
			withdraw(ctx, 'approved');
			return noContent();
		},
	},
	{
		method: 'POST',
		path: `${R}/pullrequests/:pull_request_id/request-changes`,
		scopes: SCOPES.writePr,
		access: 'repository',
		handle: (ctx) => json(200, participantView(ctx.links, review(ctx, 'changes_requested'))),
	},
	{
		method: 'DELETE',
		path: `${R}/pullrequests/:pull_request_id/request-changes`,
		scopes: SCOPES.writePrOnly,
		access: 'repository',
		handle: (ctx) => {
			withdraw(ctx, 'changes_requested');
			return noContent();
		},
	},
];
