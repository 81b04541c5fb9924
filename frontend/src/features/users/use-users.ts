import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { updateCurrentUser } from '../auth/auth-session';
import { createInvitation, deleteInvitation, issuePasswordReset, listInvitations, listUsers, updateUser } from './users.api';
import type { CreateInvitationBody, UpdateUserBody } from './user.types';

export const userKeys = {
  all: ['users'] as const,
  list: ['users', 'list'] as const,
  invitations: ['users', 'invitations'] as const,
};

export function useUsers(enabled = true) {
  return useQuery({ queryKey: userKeys.list, queryFn: ({ signal }) => listUsers(signal), enabled });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UpdateUserBody }) => updateUser(id, changes),
    onSuccess: (user) => updateCurrentUser(user),
    onSettled: () => queryClient.invalidateQueries({ queryKey: userKeys.list }),
  });
}

export function useInvitations(enabled: boolean) {
  return useQuery({ queryKey: userKeys.invitations, queryFn: ({ signal }) => listInvitations(signal), enabled });
}

export function useCreateInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateInvitationBody) => createInvitation(body),
    onSettled: () => queryClient.invalidateQueries({ queryKey: userKeys.invitations }),
  });
}

export function useDeleteInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteInvitation(id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: userKeys.invitations }),
  });
}

export function useIssuePasswordReset() {
  return useMutation({ mutationFn: (id: string) => issuePasswordReset(id) });
}
