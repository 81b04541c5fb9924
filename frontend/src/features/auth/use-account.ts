import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createApiToken, endSession, listApiTokens, listSessions, revokeApiToken, updateMe } from './auth.api';
import { updateCurrentUser } from './auth-session';
import type { CreateApiTokenBody, UpdateMeBody } from './auth.types';

export const accountKeys = {
  sessions: ['account', 'sessions'] as const,
  tokens: ['account', 'tokens'] as const,
};

export function useSessions() {
  return useQuery({ queryKey: accountKeys.sessions, queryFn: ({ signal }) => listSessions(signal) });
}

export function useEndSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => endSession(id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: accountKeys.sessions }),
  });
}

export function useApiTokens() {
  return useQuery({ queryKey: accountKeys.tokens, queryFn: ({ signal }) => listApiTokens(signal) });
}

export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateApiTokenBody) => createApiToken(body),
    onSettled: () => queryClient.invalidateQueries({ queryKey: accountKeys.tokens }),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => revokeApiToken(id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: accountKeys.tokens }),
  });
}

export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateMeBody) => updateMe(body),
    onSuccess: (user, body) => {
      updateCurrentUser(user);
      // A new password ends every other session; a new name shows on the members list and on tasks.
      if (body.password) void queryClient.invalidateQueries({ queryKey: accountKeys.sessions });
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
    },
  });
}
