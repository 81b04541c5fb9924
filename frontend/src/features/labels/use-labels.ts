import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../lib/api-client';
import type { CreateLabelBody } from './label.types';
import { createLabel, listLabels } from './labels.api';

export const labelKeys = { all: ['labels'] as const };

export function useLabels() {
  return useQuery({ queryKey: labelKeys.all, queryFn: ({ signal }) => listLabels(signal) });
}

/** A server from before labels answers 404: the app then shows no label controls at all. */
export function labelsUnsupported(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

export function useCreateLabel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateLabelBody) => createLabel(body),
    onSettled: () => queryClient.invalidateQueries({ queryKey: labelKeys.all }),
  });
}
