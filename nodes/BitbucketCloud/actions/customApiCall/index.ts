import type { Resource } from '../types';
import * as call from './call.operation';

export const customApiCall: Resource = {
	option: { name: 'Custom API Call', value: 'customApiCall', description: 'Call any Bitbucket Cloud REST API 2.0 endpoint' },
	defaultOperation: 'call',
	operations: [{ name: 'Call Endpoint', value: 'call', action: 'Call any Bitbucket endpoint', description: 'Send any request to the Bitbucket API with this credential', module: call }],
};
