import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateProjectBody, UpdateProjectBody } from './project.types';
import { createProject, deleteProject, getProject, listProjects, updateProject } from './projects.api';

export const projectKeys = {
  all: ['projects'] as const,
  list: (includeArchived: boolean) => ['projects', 'list', includeArchived] as const,
  detail: (idOrKey: string) => ['projects', 'detail', idOrKey.toUpperCase()] as const,
};

export function useProjects(includeArchived = false) {
  return useQuery({
    queryKey: projectKeys.list(includeArchived),
    queryFn: ({ signal }) => listProjects(includeArchived, signal),
  });
}

export function useProject(idOrKey: string) {
  return useQuery({ queryKey: projectKeys.detail(idOrKey), queryFn: ({ signal }) => getProject(idOrKey, signal) });
}

// A project change moves tasks in or out of the unfiltered lists (archiving) and changes counts: refresh both.
function useProjectMutation<V, R>(mutationFn: (variables: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: projectKeys.all });
      await queryClient.invalidateQueries({ queryKey: ['tasks'] });
    },
  });
}

export function useCreateProject() {
  return useProjectMutation((body: CreateProjectBody) => createProject(body));
}

export function useUpdateProject() {
  return useProjectMutation(({ id, changes }: { id: string; changes: UpdateProjectBody }) => updateProject(id, changes));
}

export function useDeleteProject() {
  return useProjectMutation((id: string) => deleteProject(id));
}
