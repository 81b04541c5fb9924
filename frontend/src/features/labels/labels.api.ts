import { apiClient, request } from '../../lib/api-client';
import type { CreateLabelBody, Label } from './label.types';

export async function listLabels(signal?: AbortSignal): Promise<Label[]> {
  return (await request(apiClient.GET('/labels', { signal }))).data;
}

export async function createLabel(body: CreateLabelBody): Promise<Label> {
  return (await request(apiClient.POST('/labels', { body }))).data;
}
