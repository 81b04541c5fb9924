import { apiClient, request } from '../../lib/api-client';
import type { User } from '../auth/auth.types';
import type { CreateInvitationBody, CreatedInvitation, Invitation, IssuedPasswordReset, UpdateUserBody } from './user.types';

export async function listUsers(signal?: AbortSignal): Promise<User[]> {
  return (await request(apiClient.GET('/users', { signal }))).data;
}

export async function updateUser(id: string, body: UpdateUserBody): Promise<User> {
  return (await request(apiClient.PATCH('/users/{id}', { params: { path: { id } }, body }))).data;
}

export async function listInvitations(signal?: AbortSignal): Promise<Invitation[]> {
  return (await request(apiClient.GET('/users/invitations', { signal }))).data;
}

/** The invitation with its code, which the server shows this once. */
export async function createInvitation(body: CreateInvitationBody): Promise<CreatedInvitation> {
  return (await request(apiClient.POST('/users/invitations', { body }))).data;
}

export async function deleteInvitation(id: string): Promise<void> {
  await request(apiClient.DELETE('/users/invitations/{id}', { params: { path: { id } } }));
}

/** A reset link for the admin to pass on to a member, which the server shows this once. */
export async function issuePasswordReset(id: string): Promise<IssuedPasswordReset> {
  return (await request(apiClient.POST('/users/{id}/password-reset', { params: { path: { id } } }))).data;
}
