/** Bitbucket's error envelope: {"type":"error","error":{"message", "detail"?, "fields"?, "data"?}}. */
export interface ErrorBody {
	type: 'error';
	error: {
		message: string;
		detail?: unknown;
		fields?: Record<string, string[]>;
		data?: Record<string, unknown>;
	};
}

export interface ApiErrorOptions {
	detail?: unknown;
	fields?: Record<string, string[]>;
	data?: Record<string, unknown>;
	headers?: Record<string, string>;
}

export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly options: ApiErrorOptions = {},
	) {
		super(message);
	}

	toBody(): ErrorBody {
		return errorBody(this.message, this.options);
	}
}

export function errorBody(message: string, options: ApiErrorOptions = {}): ErrorBody {
	const error: ErrorBody['error'] = { message };
	if (options.detail !== undefined) error.detail = options.detail;
	if (options.fields) error.fields = options.fields;
	if (options.data) error.data = options.data;
	return { type: 'error', error };
}

export const notFound = (message: string): ApiError => new ApiError(404, message);
export const badRequest = (message: string, options?: ApiErrorOptions): ApiError => new ApiError(400, message, options);

/** A validation failure on POST/PUT: Bitbucket names the offending fields. */
export function invalidFields(fields: Record<string, string[]>, message = 'Bad request'): ApiError {
	return new ApiError(400, message, { fields });
}
