import { apiClient, request } from '../../lib/api-client';
import type { User } from '../auth/auth.types';
import type { CreateInvitationBody, CreatedInvitation, Invitation, UpdateUserBody } from './user.types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- until the accounts routes are in openapi.json
const client = apiClient as any;

export async function listUsers(signal?: AbortSignal): Promise<User[]> {
  return (await request<User[]>(client.GET('/users', { signal }))).data;
}

export async function updateUser(id: string, body: UpdateUserBody): Promise<User> {
  return (await request<User>(client.PATCH('/users/{id}', { params: { path: { id } }, body }))).data;
}

export async function listInvitations(signal?: AbortSignal): Promise<Invitation[]> {
  return (await request<Invitation[]>(client.GET('/users/invitations', { signal }))).data;
}

/** The invitation with its code, which the server shows this once. */
export async function createInvitation(body: CreateInvitationBody): Promise<CreatedInvitation> {
  return (await request<CreatedInvitation>(client.POST('/users/invitations', { body }))).data;
}

export async function deleteInvitation(id: string): Promise<void> {
  await request<undefined>(client.DELETE('/users/invitations/{id}', { params: { path: { id } } }));
}
