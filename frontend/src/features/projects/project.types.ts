import type { components } from '../../lib/api-schema';

type Schemas = components['schemas'];

export type Project = Schemas['ProjectResponse'];
export type CreateProjectBody = Schemas['CreateProjectDto'];
export type UpdateProjectBody = Schemas['UpdateProjectDto'];

/** The server's rule for keys (docs/API.md, Projects): checked before sending, upper-cased as stored. */
export const projectKeyPattern = /^[A-Z][A-Z0-9]{1,9}$/;
