import { apiClient, request } from '../../lib/api-client';
import type { CreateProjectBody, Project, UpdateProjectBody } from './project.types';

export async function listProjects(includeArchived: boolean, signal?: AbortSignal): Promise<Project[]> {
  const query = includeArchived ? { include_archived: 'true' as const } : {};
  return (await request(apiClient.GET('/projects', { params: { query }, signal }))).data;
}

/** A project by its key (any case) or its id. */
export async function getProject(idOrKey: string, signal?: AbortSignal): Promise<Project> {
  return (await request(apiClient.GET('/projects/{idOrKey}', { params: { path: { idOrKey } }, signal }))).data;
}

export async function createProject(body: CreateProjectBody): Promise<Project> {
  return (await request(apiClient.POST('/projects', { body }))).data;
}

export async function updateProject(id: string, body: UpdateProjectBody): Promise<Project> {
  return (await request(apiClient.PATCH('/projects/{idOrKey}', { params: { path: { idOrKey: id } }, body }))).data;
}

/** Only an empty project that is not the default can go (409 otherwise). */
export async function deleteProject(id: string): Promise<void> {
  await request(apiClient.DELETE('/projects/{idOrKey}', { params: { path: { idOrKey: id } } }));
}
