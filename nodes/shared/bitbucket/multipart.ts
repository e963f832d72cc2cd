/**
 * multipart/form-data, written out (RFC 7578, as browsers and Bitbucket's `src` endpoint expect it): text fields,
 * and file parts with a file name and a content type. Field names and file names escape `"`, CR and LF the way
 * the HTML standard does; repository paths never contain them (paths.ts refuses them first).
 */
export type FormField =
	| { field: string; text: string }
	| { field: string; filename: string; contentType?: string; data: Uint8Array };

const encoder = new TextEncoder();

function escape(text: string): string {
	return text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** The encoded body and its Content-Type (with the boundary). */
export function encodeMultipart(fields: readonly FormField[], boundary = `----axion-bitbucket-${crypto.randomUUID()}`): { bytes: Uint8Array; contentType: string } {
	const chunks: Uint8Array[] = [];
	for (const field of fields) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escape(field.field)}"`;
		if ('data' in field) head += `; filename="${escape(field.filename)}"\r\nContent-Type: ${field.contentType ?? 'application/octet-stream'}`;
		chunks.push(encoder.encode(`${head}\r\n\r\n`), 'data' in field ? field.data : encoder.encode(field.text), encoder.encode('\r\n'));
	}
	chunks.push(encoder.encode(`--${boundary}--\r\n`));
	const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.length;
	}
	return { bytes, contentType: `multipart/form-data; boundary=${boundary}` };
}
