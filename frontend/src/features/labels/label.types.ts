import type { components } from '../../lib/api-schema';

type Schemas = components['schemas'];

export type Label = Schemas['LabelResponse'];
export type CreateLabelBody = Schemas['CreateLabelDto'];

/** The colour the server gives a label created without one. */
export const defaultLabelColor = '#6b7280';
