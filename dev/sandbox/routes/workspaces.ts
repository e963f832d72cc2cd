import { ApiError } from '../errors';
import { json, type RouteDefinition } from '../context';
import { filterByQuery, sortBy } from '../bbql';
import { paginate } from '../pagination';
import { userView, workspaceBaseView, workspaceView } from '../views';
import { SCOPES, workspaceOf } from './common';

export const workspaceRouteDefinitions: RouteDefinition[] = [
	{
		method: 'GET',
		path: '/user',
		scopes: SCOPES.readUser,
		access: 'user',
		handle: (ctx) => json(200, userView(ctx.links, ctx.principal.user)),
	},
	{
		method: 'GET',
		path: '/user/workspaces',
		scopes: SCOPES.readWorkspace,
		access: 'user',
		handle: (ctx) => {
			const uuid = ctx.principal.user.uuid;
			const administrator = ctx.query.boolean('administrator');
			const items = ctx.state.workspaces
				.filter((ws) => ws.members.includes(uuid))
				.map((ws) => ({ ws, slug: ws.slug, administrator: ws.admins.includes(uuid) }))
				.filter((item) => administrator === undefined || item.administrator === administrator);
			const sorted = sortBy(filterByQuery(items, ctx.query.get('q')), ctx.query.get('sort'));
			return json(
				200,
				paginate(ctx, sorted, ({ ws, administrator: admin }) => ({
					type: 'workspace_access',
					administrator: admin,
					workspace: { ...workspaceBaseView(ctx.links, ws), name: ws.name },
					links: { self: { href: ctx.links.api('user', 'workspaces', ws.slug, 'permission') } },
				})),
			);
		},
	},
	{
		method: 'GET',
		path: '/workspaces',
		scopes: ['read:user:bitbucket', 'read:workspace:bitbucket'],
		access: 'user',
		handle: () => {
			// Deprecated and since removed from Bitbucket Cloud: it answers 410 Gone, pointing at /user/workspaces.
			throw new ApiError(410, 'This API is no longer supported. Use GET /2.0/user/workspaces to list the workspaces of the current user.', {
				detail: 'https://developer.atlassian.com/cloud/bitbucket/rest/api-group-workspaces/#api-user-workspaces-get',
			});
		},
	},
	{
		method: 'GET',
		path: '/workspaces/:workspace',
		scopes: SCOPES.readWorkspace,
		access: 'workspace',
		accessTokenAllowed: true,
		handle: (ctx) => json(200, workspaceView(ctx.links, workspaceOf(ctx))),
	},
];
