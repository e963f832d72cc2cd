/** Fields the File operations share. */
import type { INodeProperties } from 'n8n-workflow';

export const atField: INodeProperties = {
	displayName: 'Branch, Tag or Commit',
	name: 'at',
	type: 'string',
	default: '',
	placeholder: 'e.g. develop, v2.3.0 or a1b2c3d',
	hint: "Empty: the repository's main branch",
	description: 'Where to read the file from. Every item of one execution that names the same branch or tag reads the same commit.',
};
